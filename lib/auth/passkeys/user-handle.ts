/**
 * The WebAuthn user handle (user.id, §5.4.3) of an account: the 16 bytes of
 * its uuid. Stable, never shown, and no personal data (the spec forbids an
 * email there); a discoverable passkey returns it at sign-in.
 */
export function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId.replaceAll("-", ""), "hex"));
}
