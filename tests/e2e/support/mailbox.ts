import { expect } from "@playwright/test";
import type { FakeEmail } from "../../support/fake-resend";
import { FAKE_RESEND_URL } from "./servers";

// What the fake Resend server received. Delivery runs after the response
// (next/server after()), so reads poll briefly instead of expecting the
// message to be there already.

export const mailbox = {
  async all(to: string): Promise<FakeEmail[]> {
    const response = await fetch(`${FAKE_RESEND_URL}/__test/emails?to=${encodeURIComponent(to)}`);
    if (!response.ok) throw new Error(`fake Resend answered ${response.status}`);
    return (await response.json()) as FakeEmail[];
  },

  /** The newest message sent to `to`, waiting up to `timeout` ms for one to arrive. */
  async latest(to: string, { timeout = 10_000 } = {}): Promise<FakeEmail> {
    let newest: FakeEmail | undefined;
    await expect
      .poll(async () => (newest = (await mailbox.all(to)).at(-1)), { timeout, message: `an email to ${to}` })
      .toBeDefined();
    return newest!;
  },

  /** The first message to `to` after the `seen` ones already there (count them before the action that sends it). */
  async next(to: string, seen: number, { timeout = 10_000 } = {}): Promise<FakeEmail> {
    let message: FakeEmail | undefined;
    await expect
      .poll(async () => (message = (await mailbox.all(to))[seen]), { timeout, message: `email number ${seen + 1} to ${to}` })
      .toBeDefined();
    return message!;
  },
};

/** The first link to `pathname` in the message's text part, as an absolute URL. */
export function linkIn(email: FakeEmail, pathname: string): URL {
  const match = /https?:\/\/\S+/g;
  for (const [candidate] of (email.text ?? "").matchAll(match)) {
    const url = new URL(candidate);
    if (url.pathname === pathname) return url;
  }
  throw new Error(`no ${pathname} link in "${email.subject}":\n${email.text}`);
}
