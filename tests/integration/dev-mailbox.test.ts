import { afterEach, describe, expect, it } from "vitest";
import { POST as forgotPassword } from "@/app/api/auth/forgot-password/route";
import { POST as signup } from "@/app/api/auth/signup/route";
import { generateAuthSecret } from "@/lib/auth/generate-secrets";
import { deliverDueEmails } from "@/lib/email/deliver";
import { listMailbox, splitLinks } from "@/lib/email/mailbox";
import { resetEnvCache } from "@/lib/env";
import { TestClient, type RouteHandler } from "../support/client";
import { advanceClock } from "../support/clock";
import { createUser, PASSWORD } from "../support/fixtures";

const h = (handler: unknown) => handler as RouteHandler;
const ownSecret = process.env.AUTH_SECRET;
afterEach(() => {
  process.env.AUTH_SECRET = ownSecret;
  resetEnvCache();
});

const linksIn = (text: string) => splitLinks(text).filter((part) => part.kind === "link").map((part) => part.value);

describe("development mailbox", () => {
  it("lists queued messages newest first, with their links", async () => {
    for (const email of ["first@example.com", "second@example.com"]) {
      await new TestClient().call(h(signup), { path: "/api/auth/signup", json: { name: "Ada", email, password: PASSWORD } });
    }
    const messages = await listMailbox(10);
    expect(messages.map((m) => m.to)).toEqual(["second@example.com", "first@example.com"]);
    expect(linksIn(messages[0]!.text).some((link) => link.startsWith("http://localhost:3000/verify-email?token="))).toBe(true);
  });

  it("says why a message whose link died unsent has no body, and shows no link", async () => {
    const user = await createUser("ada@example.com");
    await new TestClient().call(h(forgotPassword), { path: "/api/auth/forgot-password", json: { email: user.email } });
    expect(linksIn((await listMailbox(1))[0]!.text)).toHaveLength(1);
    advanceClock(31 * 60);
    // No provider (development): nothing is sent, but the dead link is erased.
    expect(await deliverDueEmails()).toEqual({ sent: 0, retried: 0, failed: 0 });
    const [message] = await listMailbox(1);
    expect(message!.text).toBe("[Erased without being sent: its link expired or was replaced before it could be sent.]");
    expect(message!.sentAt).toBeNull();
  });

  it("says a message sealed under a previous AUTH_SECRET cannot be read", async () => {
    await new TestClient().call(h(signup), { path: "/api/auth/signup", json: { name: "Ada", email: "ada@example.com", password: PASSWORD } });
    process.env.AUTH_SECRET = generateAuthSecret();
    resetEnvCache();
    const [message] = await listMailbox(1);
    expect(message!.text).toBe("[Unreadable: sealed under a previous AUTH_SECRET.]");
  });
});
