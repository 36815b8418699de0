import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, appOrigin, env, internalOrigin } from "@/lib/env";
import { currentEnv, setEnv } from "@/tests/support/env-vars";

// What a Vercel deployment configures for itself from Vercel's system
// environment variables (lib/vercel.ts), read through lib/env.ts as the app does.

const NAMES = ["VERCEL", "VERCEL_ENV", "VERCEL_URL", "VERCEL_PROJECT_PRODUCTION_URL", "APP_URL", "INTERNAL_URL", "DATABASE_URL"] as const;
const saved = currentEnv(NAMES);

/** Exactly these of NAMES set, the others unset. */
function configure(values: Partial<Record<(typeof NAMES)[number], string>>): void {
  setEnv({ ...Object.fromEntries(NAMES.map((name) => [name, undefined])), ...values });
}

afterEach(() => setEnv(saved));

const DATABASE_URL = "postgres://app@db.example.com/doorman";
const deployment = { VERCEL: "1", VERCEL_URL: "doorman-git-fix-abc123.vercel.app", VERCEL_PROJECT_PRODUCTION_URL: "auth.example.com", DATABASE_URL };

describe("on a Vercel deployment", () => {
  it("a preview answers on, and refreshes through, its own deployment host, never production", () => {
    configure({ ...deployment, VERCEL_ENV: "preview" });
    expect(appOrigin()).toBe("https://doorman-git-fix-abc123.vercel.app");
    expect(internalOrigin()).toBe("https://doorman-git-fix-abc123.vercel.app");
  });

  it("production answers on the production domain and refreshes through its own deployment host", () => {
    configure({ ...deployment, VERCEL_ENV: "production" });
    expect(appOrigin()).toBe("https://auth.example.com");
    expect(internalOrigin()).toBe("https://doorman-git-fix-abc123.vercel.app");
  });

  it("keeps APP_URL and INTERNAL_URL when they are set", () => {
    configure({ ...deployment, VERCEL_ENV: "production", APP_URL: "https://login.example.com" });
    expect(appOrigin()).toBe("https://login.example.com");
    expect(internalOrigin()).toBe("https://doorman-git-fix-abc123.vercel.app");
    configure({ ...deployment, VERCEL_ENV: "preview", APP_URL: "https://login.example.com", INTERNAL_URL: "https://internal.example.com" });
    expect(internalOrigin()).toBe("https://internal.example.com");
  });

  it("refuses to start without DATABASE_URL, in one sentence naming it", () => {
    configure({ ...deployment, VERCEL_ENV: "preview", DATABASE_URL: undefined });
    expect(() => env()).toThrow(ConfigError);
    expect(() => env()).toThrow(
      "DATABASE_URL is not set: a Vercel deployment cannot write the embedded database (PGlite) to its read-only disk, so set a PostgreSQL URL (Vercel's Neon integration sets one).",
    );
  });

  it("refuses a VERCEL_URL that carries a scheme", () => {
    configure({ ...deployment, VERCEL_ENV: "preview", VERCEL_URL: "https://doorman.vercel.app" });
    expect(() => env()).toThrow("VERCEL_URL is invalid: must be a host name without a scheme.");
  });
});

describe("elsewhere", () => {
  it("`vercel dev` keeps the local defaults and the embedded database", () => {
    configure({ ...deployment, VERCEL_ENV: "development", DATABASE_URL: undefined });
    expect(appOrigin()).toBe("http://localhost:3000");
    expect(internalOrigin()).toBe("http://localhost:3000");
    expect(env().DATABASE_URL).toBeUndefined();
  });

  it("without VERCEL, Vercel's other variables change nothing", () => {
    configure({ VERCEL_ENV: "preview", VERCEL_URL: "doorman.vercel.app" });
    expect(appOrigin()).toBe("http://localhost:3000");
    expect(internalOrigin()).toBe("http://localhost:3000");
  });
});
