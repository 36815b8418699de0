import { importJWK, type JWK, type CryptoKey } from "jose";
import { z } from "zod";
import { ConfigError, signingKeysJson } from "@/lib/env";

// Edge-safe. RFC 8725 §3.1: one algorithm, pinned; keys come only from configuration.
export const ACCESS_TOKEN_ALG = "ES256";

const PrivateJwkSchema = z.object({
  kty: z.literal("EC"),
  crv: z.literal("P-256"),
  x: z.string().min(1),
  y: z.string().min(1),
  d: z.string().min(1),
  kid: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "kid must be 8-64 characters of [A-Za-z0-9_-]"),
  alg: z.literal(ACCESS_TOKEN_ALG).optional(),
});

const KeySetSchema = z.array(PrivateJwkSchema).min(1);

export type PublicJwk = { kty: "EC"; crv: "P-256"; x: string; y: string; kid: string; alg: "ES256"; use: "sig" };

export type KeyRing = {
  signing: { kid: string; key: CryptoKey };
  verifying: ReadonlyMap<string, CryptoKey>;
  jwks: { keys: PublicJwk[] };
};

let ring: Promise<KeyRing> | undefined;

/** Imported once per process: importing a key costs more than verifying with it. */
export function keyRing(): Promise<KeyRing> {
  ring ??= loadKeyRing(signingKeysJson()).catch((error: unknown) => {
    ring = undefined;
    throw error;
  });
  return ring;
}

export async function loadKeyRing(json: string): Promise<KeyRing> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ConfigError("JWT_SIGNING_KEYS is not valid JSON. Run `npm run keys` to make one.");
  }
  const parsed = KeySetSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      `JWT_SIGNING_KEYS must be a JSON array of private P-256 JWKs with a kid (${parsed.error.issues[0]?.message}). Run \`npm run keys\`.`,
    );
  }
  const kids = new Set(parsed.data.map((jwk) => jwk.kid));
  if (kids.size !== parsed.data.length) throw new ConfigError("JWT_SIGNING_KEYS has two keys with the same kid.");

  const publicJwks = parsed.data.map(toPublicJwk);
  const verifying = new Map<string, CryptoKey>();
  for (const jwk of publicJwks) {
    verifying.set(jwk.kid, (await importJWK(jwk as JWK, ACCESS_TOKEN_ALG)) as CryptoKey);
  }
  // The first key signs; the others stay published so tokens they signed keep verifying.
  const first = parsed.data[0]!;
  const signingKey = (await importJWK({ ...first, alg: ACCESS_TOKEN_ALG } as JWK, ACCESS_TOKEN_ALG)) as CryptoKey;
  return { signing: { kid: first.kid, key: signingKey }, verifying, jwks: { keys: publicJwks } };
}

function toPublicJwk(jwk: z.infer<typeof PrivateJwkSchema>): PublicJwk {
  return { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, kid: jwk.kid, alg: ACCESS_TOKEN_ALG, use: "sig" };
}
