import { z } from "zod";

// Edge-safe (lib/env.ts parses OIDC_PROVIDERS with it). Each entry is either a
// generic OpenID Connect provider, found through its issuer's discovery
// document, or a preset that needs only the credentials its console gives.
// The id is the namespace of the identities linked through it
// (user_identities.provider): renaming it, or pointing it at another issuer,
// orphans them.

const ProviderId = z.string().regex(/^[a-z0-9-]{1,32}$/, "an id is 1-32 of a-z, 0-9 and -");
const Secret = z.string().min(1);
/** RFC 6749 §3.3 scope-token. */
const Scope = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, "a scope is one word of printable ASCII");

/** Plain http only where it never leaves the machine (a local provider in tests or development). */
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);
export function isLoopbackUrl(url: string): boolean {
  return LOOPBACK_HOSTS.has(new URL(url).hostname);
}
const HttpsUrl = z.url({ protocol: /^https?$/ }).refine(
  (url) => url.startsWith("https:") || isLoopbackUrl(url),
  "must be https (plain http only on 127.0.0.1 or localhost)",
);

const PRESET_IDS = ["google", "microsoft", "github"] as const;
type PresetId = (typeof PRESET_IDS)[number];

const GenericEntry = z.strictObject({
  id: ProviderId.refine((id) => !PRESET_IDS.includes(id as PresetId), "google, microsoft and github are presets: give them no issuer"),
  name: z.string().trim().min(1).max(60),
  issuer: HttpsUrl,
  clientId: z.string().min(1),
  clientSecret: Secret.optional(),
  scopes: z.array(Scope).min(1).max(20).optional(),
});

const GoogleEntry = z.strictObject({ id: z.literal("google"), name: z.string().trim().min(1).max(60).optional(), clientId: z.string().min(1), clientSecret: Secret });

/**
 * `tenant`: a directory id or domain (only its accounts), or `common`,
 * `organizations` or `consumers`. Those three publish an issuer template,
 * `https://login.microsoftonline.com/{tenantid}/v2.0`, that openid-client
 * fills from each ID token's `tid` claim.
 */
const MicrosoftEntry = z.strictObject({
  id: z.literal("microsoft"),
  name: z.string().trim().min(1).max(60).optional(),
  clientId: z.string().min(1),
  clientSecret: Secret,
  tenant: z.string().regex(/^[A-Za-z0-9.-]{1,100}$/, "a tenant is a directory id, a domain, common, organizations or consumers").default("common"),
});

/** GitHub Enterprise Server, or a stand-in in tests: its web and API addresses. */
const GitHubEntry = z.strictObject({
  id: z.literal("github"),
  name: z.string().trim().min(1).max(60).optional(),
  clientId: z.string().min(1),
  clientSecret: Secret,
  webUrl: HttpsUrl.default("https://github.com"),
  apiUrl: HttpsUrl.default("https://api.github.com"),
});

export type OidcProvider = {
  kind: "oidc";
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  scopes: string[];
  /** How this provider says an email address is its owner's (lib/auth/sso/provider-identity.ts). */
  emailVerification: "email_verified" | "microsoft";
};

/** GitHub's OAuth apps issue no ID token: who signed in comes from its API. */
export type GitHubProvider = {
  kind: "github";
  id: "github";
  name: string;
  clientId: string;
  clientSecret: string;
  webUrl: string;
  apiUrl: string;
  scopes: string[];
};

export type SsoProvider = OidcProvider | GitHubProvider;

const OIDC_SCOPES = ["openid", "email", "profile"];

const trimmed = (url: string) => url.replace(/\/+$/, "");

/** A preset's id picks its schema, so a mistake is reported against the right shape. */
const ENTRIES = {
  google: GoogleEntry.transform((entry): SsoProvider => ({
    kind: "oidc",
    id: "google",
    name: entry.name ?? "Google",
    issuer: "https://accounts.google.com",
    clientId: entry.clientId,
    clientSecret: entry.clientSecret,
    scopes: OIDC_SCOPES,
    emailVerification: "email_verified",
  })),
  microsoft: MicrosoftEntry.transform((entry): SsoProvider => ({
    kind: "oidc",
    id: "microsoft",
    name: entry.name ?? "Microsoft",
    issuer: `https://login.microsoftonline.com/${entry.tenant}/v2.0`,
    clientId: entry.clientId,
    clientSecret: entry.clientSecret,
    scopes: OIDC_SCOPES,
    emailVerification: "microsoft",
  })),
  github: GitHubEntry.transform((entry): SsoProvider => ({
    kind: "github",
    id: "github",
    name: entry.name ?? "GitHub",
    clientId: entry.clientId,
    clientSecret: entry.clientSecret,
    webUrl: trimmed(entry.webUrl),
    apiUrl: trimmed(entry.apiUrl),
    scopes: ["read:user", "user:email"],
  })),
  generic: GenericEntry.transform((entry): SsoProvider => {
    const scopes = entry.scopes ?? OIDC_SCOPES;
    return {
      kind: "oidc",
      id: entry.id,
      name: entry.name,
      issuer: entry.issuer,
      clientId: entry.clientId,
      clientSecret: entry.clientSecret ?? null,
      scopes: scopes.includes("openid") ? scopes : ["openid", ...scopes],
      emailVerification: "email_verified",
    };
  }),
};

function entrySchema(raw: unknown) {
  const id = typeof raw === "object" && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return PRESET_IDS.includes(id as PresetId) ? ENTRIES[id as PresetId] : ENTRIES.generic;
}

/** OIDC_PROVIDERS as written (a JSON array), or a message naming what is wrong. */
export function parseProviders(json: string): { ok: true; providers: SsoProvider[] } | { ok: false; message: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { ok: false, message: 'must be a JSON array, e.g. [{"id":"google","clientId":"…","clientSecret":"…"}]' };
  }
  if (!Array.isArray(raw) || raw.length > 20) return { ok: false, message: "must be a JSON array of at most 20 providers" };
  const providers: SsoProvider[] = [];
  for (const [index, entry] of raw.entries()) {
    const parsed = entrySchema(entry).safeParse(entry);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.length > 0 ? ` (${issue.path.join(".")})` : "";
      return { ok: false, message: `entry ${index}${field}: ${issue.message}` };
    }
    providers.push(parsed.data);
  }
  const ids = providers.map((provider) => provider.id);
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated) return { ok: false, message: `the id "${repeated}" appears twice` };
  return { ok: true, providers };
}
