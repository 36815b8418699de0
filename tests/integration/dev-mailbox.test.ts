import { describe, expect, it } from "vitest";
import { POST as signup } from "@/app/api/auth/signup/route";
import { listMailbox, splitLinks } from "@/lib/email/mailbox";
import { TestClient, type RouteHandler } from "../support/client";
import { PASSWORD } from "../support/fixtures";

describe("development mailbox", () => {
  it("lists queued messages newest first, with their links", async () => {
    for (const email of ["first@example.com", "second@example.com"]) {
      await new TestClient().call(signup as unknown as RouteHandler, { path: "/api/auth/signup", json: { name: "Ada", email, password: PASSWORD } });
    }
    const messages = await listMailbox(10);
    expect(messages.map((m) => m.to)).toEqual(["second@example.com", "first@example.com"]);
    const links = splitLinks(messages[0]!.text).filter((part) => part.kind === "link");
    expect(links.some((part) => part.value.startsWith("http://localhost:3000/verify-email?token="))).toBe(true);
  });
});
