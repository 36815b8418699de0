import { env } from "@/lib/env";

// WebAuthn §5.1.4 / §13.4.9: the relying party is the app's own address,
// APP_URL, never a request's Host. The RP ID is its host name (a passkey made
// here works on this host only), and the origin the browser reports in
// clientDataJSON must be exactly APP_URL's.

export type RelyingParty = { id: string; name: string; origin: string };

export function relyingParty(): RelyingParty {
  const url = new URL(env().APP_URL);
  return { id: url.hostname, name: "Doorman", origin: url.origin };
}
