import { z } from "zod";
import { cookieOptions, webauthnCookieName } from "@/lib/auth/edge/cookies";
import { sealIron, unsealIron } from "@/lib/auth/iron-seal";
import { CHALLENGE_TTL_SECONDS, type CeremonyPurpose } from "@/lib/auth/passkeys/challenges";
import type { CookieJar } from "@/lib/auth/sessions/session-cookies";
import { authSecret } from "@/lib/env";

// Ties a passkey ceremony to the browser that started it: the id of its
// stored challenge, sealed so it can be neither read nor changed, and living
// no longer than the challenge. Without it, a challenge id seen elsewhere (a
// phishing page relaying our options) is of no use in another browser. One
// ceremony per browser at a time: a newer one replaces it.

const Ceremony = z.object({
  purpose: z.literal("webauthn"),
  ceremony: z.enum(["register", "sign_in", "second_factor", "reauthenticate"]),
  challengeId: z.uuid(),
});

export function setCeremonyCookie(jar: CookieJar, ceremony: { purpose: CeremonyPurpose; challengeId: string }, nowMs = Date.now()): void {
  const sealed = sealIron({ purpose: "webauthn", ceremony: ceremony.purpose, challengeId: ceremony.challengeId }, authSecret(), CHALLENGE_TTL_SECONDS, nowMs);
  jar.set(webauthnCookieName(), sealed, cookieOptions(CHALLENGE_TTL_SECONDS));
}

/** The challenge id of this browser's ceremony for `purpose`; null when there is none, it expired, or it is another kind. */
export function readCeremonyCookie(jar: Pick<CookieJar, "get">, purpose: CeremonyPurpose, nowMs = Date.now()): string | null {
  const sealed = jar.get(webauthnCookieName())?.value;
  if (!sealed) return null;
  const parsed = Ceremony.safeParse(unsealIron(sealed, authSecret(), nowMs));
  return parsed.success && parsed.data.ceremony === purpose ? parsed.data.challengeId : null;
}

export function clearCeremonyCookie(jar: CookieJar): void {
  jar.set(webauthnCookieName(), "", cookieOptions(0));
}
