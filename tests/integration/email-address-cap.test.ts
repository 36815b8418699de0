import { inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as signup } from "@/app/api/auth/signup/route";
import { emailOutbox } from "@/db/schema";
import { EMAILS_PER_ADDRESS } from "@/lib/email/address-cap";
import { PEER_IP_HEADER } from "@/lib/http/client-meta";
import { TestClient, type RouteHandler } from "../support/client";
import { PASSWORD } from "../support/fixtures";
import { countRows } from "../support/rows";

// Regression: `+tag` and dotted Gmail aliases of one mailbox each had an allowance of their own, so it could be flooded.
describe("per-mailbox email cap", { timeout: 120_000 }, () => {
  it("counts every alias of one Gmail mailbox together, and leaves other mailboxes alone", async () => {
    const aliases = ["a.b+x@gmail.com", "ab@googlemail.com", "AB+y@gmail.com", "a.b@gmail.com", "ab+z@googlemail.com", "a.b+q@googlemail.com"];
    // Dots count outside Gmail: these are two mailboxes, neither of them ab@gmail.com.
    const others = ["ab@example.com", "a.b@example.com"];
    expect(aliases.length).toBe(EMAILS_PER_ADDRESS.limit + 1);
    // All at once, each from its own IP: each alias is a new account, so only the cap can hold them back.
    const answers = await Promise.all(
      [...aliases, ...others].map(async (email, i) => {
        const response = await new TestClient().call(signup as unknown as RouteHandler, {
          path: "/api/auth/signup",
          json: { name: "Ada", email, password: PASSWORD },
          headers: { [PEER_IP_HEADER]: `203.0.113.${i + 1}` },
        });
        return `${response.status} ${await response.text()}`;
      }),
    );
    expect(new Set(answers)).toEqual(new Set(['202 {"status":"verification_sent"}']));
    expect(await countRows(emailOutbox, inArray(emailOutbox.toAddress, aliases))).toBe(EMAILS_PER_ADDRESS.limit);
    for (const email of others) expect(await countRows(emailOutbox, inArray(emailOutbox.toAddress, [email]))).toBe(1);
  });
});
