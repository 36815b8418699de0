import { z } from "zod";
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";

// What a browser posts back from navigator.credentials.create() and .get(),
// as @simplewebauthn/browser serialises it. Checked for shape and size here,
// so a malformed answer is a 400 before any decoding; what the bytes say is
// for the verification (register-passkey.ts, verify-assertion.ts).

/** Base64url without padding, at most `max` characters. */
const b64url = (max: number) => z.string().min(1).max(max).regex(/^[A-Za-z0-9_-]+$/, "Expected base64url.");

/** A credential id is at most 1023 bytes (WebAuthn §5.8.3): 1364 characters. */
const CredentialId = b64url(1364);
const ClientDataJSON = b64url(2048);

const KNOWN_TRANSPORTS = new Set(["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"]);

/** What a registration's and a sign-in's answers share around their own `response`. */
const credential = <Response extends z.ZodType>(response: Response) =>
  z.object({
    id: CredentialId,
    rawId: CredentialId,
    type: z.literal("public-key"),
    response,
    authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  });

export const RegistrationResponse = credential(
  z.object({
    clientDataJSON: ClientDataJSON,
    // "none" attestation is small; 12,000 characters leave room for a packed statement with its certificate.
    attestationObject: b64url(12_000),
    // Hints for a later sign-in; one a browser adds tomorrow is dropped rather than refused.
    transports: z
      .array(z.string().max(32))
      .max(8)
      .optional()
      .transform((list) => (list ?? []).filter((transport) => KNOWN_TRANSPORTS.has(transport))),
  }),
).transform((value): RegistrationResponseJSON => ({ ...value, clientExtensionResults: {} }));

export const AuthenticationResponse = credential(
  z.object({
    clientDataJSON: ClientDataJSON,
    authenticatorData: b64url(2048),
    // An RS256 signature is 256 bytes; EdDSA and ES256 are smaller.
    signature: b64url(1024),
    userHandle: b64url(128).optional(),
  }),
).transform((value): AuthenticationResponseJSON => ({ ...value, clientExtensionResults: {} }));

export const DEFAULT_PASSKEY_NAME = "Passkey";

/**
 * A passkey's name is the owner's label in lists and emails: trimmed, 1–64
 * characters, no control, format (bidirectional overrides) or unassigned
 * characters. Left blank, it is "Passkey".
 */
const PasskeyName = z
  .string({ error: "Name the passkey." })
  .transform((value) => value.normalize("NFKC").trim())
  .pipe(z.string().min(1, "Name the passkey.").max(64, "Keep the name to 64 characters."))
  .refine((value) => /^[^\p{C}]+$/u.test(value), "Use letters, digits, spaces and punctuation in the name.");

export const AddPasskeyInput = z.object({
  name: z
    .string()
    .max(256)
    .optional()
    .transform((value) => (value?.trim() ? value : DEFAULT_PASSKEY_NAME))
    .pipe(PasskeyName),
  response: RegistrationResponse,
});
export type AddPasskeyInput = z.infer<typeof AddPasskeyInput>;

export const RenamePasskeyInput = z.object({ name: PasskeyName });

export const PasskeySignInInput = z.object({ response: AuthenticationResponse });

export const PasskeyIdParam = z.uuid();
