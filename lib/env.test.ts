import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, authSecret, env, resetEnvCache, signingKeysJson } from "@/lib/env";
import { loadKeyRing } from "@/lib/auth/edge/keys";
import { generateAuthSecret, generateSigningKey } from "@/lib/auth/generate-secrets";

const NAMES = ["AUTH_SECRET", "JWT_SIGNING_KEYS", "NODE_ENV", "RESEND_API_KEY", "EMAIL_FROM", "RETENTION_SESSION_DAYS", "NATIVE_CLIENTS", "PASSWORD_GRANT"] as const;
let saved: Record<string, string | undefined>;

beforeEach(() => {
  saved = Object.fromEntries(NAMES.map((name) => [name, process.env[name]]));
});

afterEach(() => {
  // NODE_ENV is typed read-only; tests still need to flip it.
  const environment = process.env as Record<string, string | undefined>;
  for (const name of NAMES) {
    if (saved[name] === undefined) delete environment[name];
    else environment[name] = saved[name];
  }
  resetEnvCache();
});

function configure(values: Partial<Record<(typeof NAMES)[number], string | undefined>>): void {
  const environment = process.env as Record<string, string | undefined>;
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete environment[name];
    else environment[name] = value;
  }
  resetEnvCache();
}

function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("no ConfigError was thrown");
}

async function asyncConfigErrorOf(fn: () => Promise<unknown>): Promise<ConfigError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("no ConfigError was thrown");
}

describe("AUTH_SECRET", () => {
  it("accepts a generated secret", () => {
    const secret = generateAuthSecret();
    configure({ AUTH_SECRET: secret });
    expect(authSecret()).toBe(secret);
  });

  it.each([
    ["missing (production)", { AUTH_SECRET: undefined, NODE_ENV: "production" }],
    ["missing (development)", { AUTH_SECRET: undefined, NODE_ENV: "development" }],
    ["empty, as dashboards save a cleared field", { AUTH_SECRET: "" }],
    ["shorter than 32 characters", { AUTH_SECRET: "s3cr3t-but-only-24-chars" }],
    ["a sample value from a README", { AUTH_SECRET: "complex_password_at_least_32_characters_long" }],
    ["a sample value, upper-cased", { AUTH_SECRET: "YOUR-SECRET-HERE-AT-LEAST-32-CHARACTERS-LONG" }],
    ["all zeros", { AUTH_SECRET: "0".repeat(64) }],
    ["low entropy", { AUTH_SECRET: "abababababababababababababababababab" }],
  ])("stops with a ConfigError naming it and `npm run keys` when %s", (_name, values) => {
    configure(values);
    const error = configErrorOf(() => authSecret());
    expect(error.message).toContain("AUTH_SECRET");
    expect(error.message).toContain("npm run keys");
  });
});

describe("JWT_SIGNING_KEYS", () => {
  it("loads a generated key set", async () => {
    const ring = await loadKeyRing(JSON.stringify([await generateSigningKey()]));
    expect(ring.jwks.keys).toHaveLength(1);
  });

  it("stops with a ConfigError naming it when missing", () => {
    configure({ JWT_SIGNING_KEYS: undefined });
    const error = configErrorOf(() => signingKeysJson());
    expect(error.message).toContain("JWT_SIGNING_KEYS");
    expect(error.message).toContain("npm run keys");
  });

  it.each([
    ["not JSON", "{not json"],
    ["an empty array", "[]"],
    ["an object instead of an array", JSON.stringify({ kty: "EC" })],
    ["a public key without d", "PUBLIC"],
    ["an RSA key", JSON.stringify([{ kty: "RSA", n: "x", e: "AQAB", d: "y", kid: "rsa-key-0001" }])],
    ["a path-like kid", "PATH_KID"],
    ["two keys with one kid", "DUPLICATE"],
  ])("stops with a ConfigError naming it when %s", async (_name, json) => {
    const key = await generateSigningKey();
    const { d: _d, ...publicOnly } = key;
    const value =
      json === "PUBLIC"
        ? JSON.stringify([publicOnly])
        : json === "PATH_KID"
          ? JSON.stringify([{ ...key, kid: "../../etc/passwd" }])
          : json === "DUPLICATE"
            ? JSON.stringify([key, { ...(await generateSigningKey()), kid: key.kid }])
            : json;
    const error = await asyncConfigErrorOf(() => loadKeyRing(value));
    expect(error.message).toContain("JWT_SIGNING_KEYS");
  });
});

describe("EMAIL_FROM", () => {
  it.each([
    ["missing", undefined],
    ["empty, as dashboards save a cleared field", ""],
  ])("stops production with a sentence naming it when RESEND_API_KEY is set and it is %s", (_name, value) => {
    configure({ NODE_ENV: "production", RESEND_API_KEY: "re_live_key", EMAIL_FROM: value });
    const error = configErrorOf(() => env());
    expect(error.message).toMatch(/^EMAIL_FROM is not set: [^.]*RESEND_API_KEY[^]*\.$/);
    expect(error.message).not.toContain("re_live_key");
  });

  it("is taken as given in production with RESEND_API_KEY", () => {
    configure({ NODE_ENV: "production", RESEND_API_KEY: "re_live_key", EMAIL_FROM: "Doorman <auth@example.com>" });
    expect(env().EMAIL_FROM).toBe("Doorman <auth@example.com>");
  });

  it.each([
    ["in development with RESEND_API_KEY", { NODE_ENV: "development", RESEND_API_KEY: "re_test_key" }],
    ["in production without RESEND_API_KEY (mail stays in the outbox)", { NODE_ENV: "production", RESEND_API_KEY: undefined }],
  ])("may be unset %s: Resend's testing sender", (_name, values) => {
    configure({ ...values, EMAIL_FROM: undefined });
    expect(env().EMAIL_FROM).toBe("Doorman <onboarding@resend.dev>");
  });
});

describe("RETENTION_SESSION_DAYS (as every RETENTION_*_DAYS)", () => {
  it("takes fractions of a day, and zero", () => {
    configure({ RETENTION_SESSION_DAYS: "0.5" });
    expect(env().RETENTION_SESSION_DAYS).toBe(0.5);
    configure({ RETENTION_SESSION_DAYS: "0" });
    expect(env().RETENTION_SESSION_DAYS).toBe(0);
  });

  it.each(["-1", "thirty", "1e9"])("stops with a ConfigError naming it for %s", (value) => {
    configure({ RETENTION_SESSION_DAYS: value });
    expect(configErrorOf(() => env()).message).toMatch(/^RETENTION_SESSION_DAYS is invalid/);
  });
});

describe("PASSWORD_GRANT", () => {
  it("is off unless turned on (RFC 9700 §2.4)", () => {
    configure({ PASSWORD_GRANT: undefined });
    expect(env().PASSWORD_GRANT).toBe(false);
    configure({ PASSWORD_GRANT: "true" });
    expect(env().PASSWORD_GRANT).toBe(true);
  });
});

describe("NATIVE_CLIENTS", () => {
  const clients = (...redirectUris: string[]) => JSON.stringify([{ clientId: "com.example.app", redirectUris }]);

  it("is empty when unset", () => {
    configure({ NATIVE_CLIENTS: undefined });
    expect(env().NATIVE_CLIENTS).toEqual([]);
  });

  it("takes private-use schemes, claimed https and http on a loopback address (RFC 8252 §7)", () => {
    const uris = ["com.example.app:/oauth/callback", "https://app.example.com/oauth/callback", "http://127.0.0.1/callback", "http://[::1]:8080/callback"];
    configure({ NATIVE_CLIENTS: clients(...uris) });
    expect(env().NATIVE_CLIENTS).toEqual([{ clientId: "com.example.app", redirectUris: uris }]);
  });

  it("stops with a sentence when it is not JSON", () => {
    configure({ NATIVE_CLIENTS: "[{clientId: 'a'}]" });
    expect(configErrorOf(() => env()).message).toMatch(/^NATIVE_CLIENTS is invalid: is not JSON; expected \[\{"clientId"/);
  });

  it.each([
    ["a relative URI", "/oauth/callback", /is not an absolute URL/],
    ["a fragment", "com.example.app:/oauth/callback#x", /has a fragment/],
    ["http on a host that is not a loopback literal", "http://app.example.com/callback", /RFC 8252/],
    ["http on localhost (RFC 8252 §8.3)", "http://localhost:8080/callback", /RFC 8252/],
    ["javascript:", "javascript:alert(1)", /uses javascript:/],
    ["credentials", "https://user:pw@app.example.com/callback", /user name or password/],
  ])("refuses %s, naming the URI", (_, uri, message) => {
    configure({ NATIVE_CLIENTS: clients(uri) });
    const error = configErrorOf(() => env());
    expect(error.message).toMatch(/^NATIVE_CLIENTS is invalid: /);
    expect(error.message).toMatch(message);
  });

  it.each([
    ["no redirect URI", JSON.stringify([{ clientId: "a", redirectUris: [] }])],
    ["a client listed twice", JSON.stringify([{ clientId: "a", redirectUris: ["a:/cb"] }, { clientId: "a", redirectUris: ["a:/other"] }])],
    ["an object instead of an array", JSON.stringify({ clientId: "a", redirectUris: ["a:/cb"] })],
    ["an unknown key", JSON.stringify([{ clientId: "a", redirectUris: ["a:/cb"], secret: "x" }])],
    ["an empty clientId", JSON.stringify([{ clientId: "", redirectUris: ["a:/cb"] }])],
  ])("refuses %s", (_, value) => {
    configure({ NATIVE_CLIENTS: value });
    expect(configErrorOf(() => env()).message).toMatch(/^NATIVE_CLIENTS is invalid: /);
  });
});
