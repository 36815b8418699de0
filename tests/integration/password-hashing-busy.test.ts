import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { logInAction } from "@/app/(auth)/login/actions";
import { resetPasswordAction } from "@/app/(auth)/reset-password/actions";
import { signUpAction } from "@/app/(auth)/signup/actions";
import { changePasswordAction } from "@/app/(signed-in)/account/actions";
import { POST as changePassword } from "@/app/api/auth/change-password/route";
import { POST as forgotPassword } from "@/app/api/auth/forgot-password/route";
import { POST as login } from "@/app/api/auth/login/route";
import { POST as resetPassword } from "@/app/api/auth/reset-password/route";
import { POST as signup } from "@/app/api/auth/signup/route";
import { POST as token } from "@/app/api/auth/token/route";
import { securityEvents, users } from "@/db/schema";
import { bcryptWorkers } from "@/lib/auth/passwords/password-pool";
import { initialFormState } from "@/lib/forms/form-state";
import { PEER_IP_HEADER } from "@/lib/http/client-meta";
import { TestClient, type RouteHandler } from "../support/client";
import { createUser, loginAs, PASSWORD, readEmail, tokenFromLink } from "../support/fixtures";
import { expectQueueStillFull, fillHashingQueue, useSmallHashingPool } from "../support/hashing-queue";
import { expectJsonError } from "../support/http";
import { countRows } from "../support/rows";

// Regression: the bcrypt queue had no bound, so a burst of sign-ins, sign-ups
// or resets made every later one wait behind it (security review, finding 3).

useSmallHashingPool();

// Server actions read the request through next/headers; here it is an empty
// same-origin request, plus the cookies a test puts in `actionCookies`.
const actionCookies = vi.hoisted(() => new Map<string, string>());
vi.mock("next/headers", () => ({
  headers: async () => new Headers(),
  cookies: async () => ({
    get: (name: string) => (actionCookies.has(name) ? { name, value: actionCookies.get(name) } : undefined),
  }),
}));

const h = (handler: unknown) => handler as RouteHandler;
const NEW_PASSWORD = "a brand new passphrase for ada";

async function resetLink(email: string): Promise<string> {
  await new TestClient().call(h(forgotPassword), { path: "/api/auth/forgot-password", json: { email } });
  const message = await readEmail(email);
  return tokenFromLink(message!.textBody, "/reset-password");
}

function formData(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

describe("a full password-hashing queue", { timeout: 240_000 }, () => {
  it("answers 503 temporarily_unavailable with Retry-After on every route that hashes, queues nothing, and serves them again once drained", async () => {
    const ada = await createUser("ada@example.com");
    const link = await resetLink(ada.email);
    const laptop = await loginAs(ada);
    const call = (handler: unknown, path: string, json: unknown, client = new TestClient()) => client.call(h(handler), { path, json });
    const requests = {
      login: () => call(login, "/api/auth/login", { email: ada.email, password: PASSWORD }),
      "login, unknown email": () => call(login, "/api/auth/login", { email: "nobody@example.com", password: PASSWORD }),
      "token, password grant": () => call(token, "/api/auth/token", { grant_type: "password", email: ada.email, password: PASSWORD }),
      signup: () => call(signup, "/api/auth/signup", { name: "Grace", email: "grace@example.com", password: "a long enough passphrase" }),
      "reset-password": () => call(resetPassword, "/api/auth/reset-password", { token: link, password: NEW_PASSWORD }),
      "change-password": () =>
        call(changePassword, "/api/auth/change-password", { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, laptop),
    };

    const drained = fillHashingQueue();
    const answers = await Promise.all(Object.values(requests).map((send) => send()));
    expectQueueStillFull();
    for (const [i, name] of Object.keys(requests).entries()) {
      const answer = answers[i]!;
      expect(answer.headers.get("retry-after"), name).toBe(String(bcryptWorkers().retryAfterSeconds));
      await expectJsonError(answer, 503, "temporarily_unavailable");
    }
    // A refusal for load is not a wrong password, and wrote nothing.
    expect(await countRows(securityEvents, eq(securityEvents.type, "sign_in_failed"))).toBe(0);
    expect(await countRows(users, eq(users.emailCanonical, "grace@example.com"))).toBe(0);

    await drained;
    expect((await requests.login()).status).toBe(200);
    expect((await requests["token, password grant"]()).status).toBe(200);
    expect((await requests.signup()).status).toBe(202);
    expect((await requests["change-password"]()).status).toBe(200);
    // The refused reset did not spend its link; the password change voided it (a newer one works).
    await expectJsonError(await requests["reset-password"](), 400, "invalid_token");
    const fresh = await resetLink(ada.email);
    expect((await call(resetPassword, "/api/auth/reset-password", { token: fresh, password: "yet another passphrase here" })).status).toBe(200);
  });

  it("shows the forms a 'try again' error instead of failing the action", async () => {
    const ada = await createUser("ada@example.com");
    const link = await resetLink(ada.email);
    const laptop = await loginAs(ada);
    for (const [name, value] of laptop.cookies) actionCookies.set(name, value);

    const drained = fillHashingQueue();
    const states = await Promise.all([
      logInAction(initialFormState(), formData({ email: ada.email, password: PASSWORD })),
      signUpAction(initialFormState(), formData({ name: "Grace", email: "grace@example.com", password: "a long enough passphrase" })),
      resetPasswordAction(initialFormState(), formData({ token: link, password: NEW_PASSWORD })),
      changePasswordAction(initialFormState(), formData({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD })),
    ]);
    expectQueueStillFull();
    for (const state of states) {
      expect(state.status).toBe("error");
      expect(state.formError?.code).toBe("temporarily_unavailable");
      expect(state.formError?.message).toMatch(/try again/i);
    }
    await drained;
    // Positive control: the same reset through the form, now that a thread is free.
    expect(await resetPasswordAction(initialFormState(), formData({ token: link, password: NEW_PASSWORD }))).toMatchObject({ status: "success" });
    actionCookies.clear();
  });

  it("under a storm of concurrent sign-ups, takes what the thread and the queue hold and refuses the rest at once", async () => {
    const storm = Array.from({ length: 12 }, (_, i) =>
      new TestClient().call(h(signup), {
        path: "/api/auth/signup",
        json: { name: `Storm ${i}`, email: `storm${i}@example.com`, password: "a long enough passphrase" },
        // Each from its own address: only the queue's bound can refuse them.
        headers: { [PEER_IP_HEADER]: `198.51.100.${i + 1}` },
      }),
    );
    const answers = await Promise.all(storm);
    const accepted = answers.filter((answer) => answer.status === 202);
    const refused = answers.filter((answer) => answer.status !== 202);
    // One running and two waiting are always taken; the rest arrive while those three hold the pool.
    expect(accepted.length).toBeGreaterThanOrEqual(3);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
      await expectJsonError(answer, 503, "temporarily_unavailable");
    }
    // No partial write: exactly the accepted sign-ups made an account.
    expect(await countRows(users)).toBe(accepted.length);
  });
});
