import { expect } from "@playwright/test";
import { APP_URL } from "./servers";

// What every page must send (SECURITY.md "Next.js specifics", docs/decisions/0007),
// shared by the browser tests (tests/e2e/security-headers.spec.ts) and the
// security suite's error pages (tests/security/error-pages.spec.ts).

const TOKEN_PAGES = new Set(["/reset-password", "/verify-email"]);

/** Every <script> in the document carries the nonce of the response's policy. */
export async function expectNoncedScripts(response: Response): Promise<string> {
  const nonce = nonceOf(response.headers.get("content-security-policy"));
  const scripts = (await response.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag, "script without the nonce").toContain(`nonce="${nonce}"`);
  return nonce;
}

/** The policy as a map from directive to its values. */
export function directives(policy: string | null | undefined): Map<string, string[]> {
  expect(policy, "a Content-Security-Policy header").toBeTruthy();
  return new Map(
    policy!.split(";").map((part) => {
      const [name = "", ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

function nonceOf(policy: string | null | undefined): string {
  const nonce = directives(policy).get("script-src")?.find((value) => value.startsWith("'nonce-"));
  expect(nonce, "a nonce in script-src").toBeTruthy();
  return nonce!.slice("'nonce-".length, -1);
}

/** What every page must send; `headers` has lower-case names. */
export function expectPageHeaders(path: string, headers: Record<string, string>): void {
  const policy = directives(headers["content-security-policy"]);
  const scripts = policy.get("script-src") ?? [];
  expect(scripts.some((value) => value.startsWith("'nonce-")), `${path}: script-src has a nonce`).toBe(true);
  expect(scripts, `${path}: script-src`).toContain("'strict-dynamic'");
  expect(scripts, `${path}: script-src`).not.toContain("'unsafe-inline'");
  expect(scripts, `${path}: script-src`).not.toContain("'unsafe-eval'");
  expect(policy.get("frame-ancestors"), path).toEqual(["'none'"]);
  expect(policy.get("object-src"), path).toEqual(["'none'"]);
  expect(headers["x-content-type-options"], path).toBe("nosniff");
  expect(headers["x-frame-options"], path).toBe("DENY");
  const referrer = TOKEN_PAGES.has(new URL(path, APP_URL).pathname) ? "no-referrer" : "strict-origin-when-cross-origin";
  expect(headers["referrer-policy"], path).toBe(referrer);
  expect(headers["cross-origin-opener-policy"], path).toBe("same-origin");
  expect(headers["permissions-policy"], path).toBe("camera=(), microphone=(), geolocation=()");
  // Plain http here: HSTS only ever over https.
  expect(headers["strict-transport-security"], path).toBeUndefined();
}
