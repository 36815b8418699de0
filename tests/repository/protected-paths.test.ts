import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PUBLIC_PAGES, PUBLIC_ROUTES, isProtectedPath, pathAccess } from "@/lib/auth/edge/protected-paths";

// Protected by default (docs/decisions/0028): the middleware gates every
// address but the few that lib/auth/edge/protected-paths.ts lists. This reads the
// addresses app/ and pages/ serve from their files and holds the lists to
// them: what is public is named below, once, where a reviewer sees it; a
// page or route added anywhere else is protected with no edit, and calls the
// data access layer itself (contract invariant 5).
// Regression: a page added under app/(signed-in)/ was missing from the old
// list of protected paths, so a form sent after the access token expired
// landed on /login instead of being refreshed.

const root = path.resolve(import.meta.dirname, "../..");

/** Every real address that answers without a session, as the lists make it. Change it with the lists, on purpose. */
const PUBLIC_ADDRESSES = [
  "/",
  "/.well-known/jwks.json",
  "/api/auth/authorize",
  "/api/auth/forgot-password",
  "/api/auth/login",
  "/api/auth/login/second-factor",
  "/api/auth/logout",
  "/api/auth/oidc/some-id/callback",
  "/api/auth/oidc/some-id/start",
  "/api/auth/passkeys/sign-in",
  "/api/auth/passkeys/sign-in-options",
  "/api/auth/refresh",
  "/api/auth/resend-verification",
  "/api/auth/reset-password",
  "/api/auth/revoke",
  "/api/auth/signup",
  "/api/auth/token",
  "/api/auth/verify-email",
  "/api/cron/outbox",
  "/api/cron/prune",
  "/api/health",
  "/api/health/ready",
  "/dev/mailbox",
  "/forgot-password",
  "/icon.svg",
  "/login",
  "/login/second-factor",
  "/reset-password",
  "/signup",
  "/verify-email",
];

/** What the data access layer offers to turn away who may not see a page or call a route (lib/auth/dal.ts). */
const SESSION_CHECK = /\b(requireUser|requireLiveUser|requireRecentUser|requireAdmin|requireAdminPage|authenticate|authenticateLive|authenticateRecent|authenticateBrowser|authorize)\(/;

/** Answers 404 to everyone for an /api path no route serves: it has nothing to protect. */
const UNMATCHED_API = path.join("app", "api", "[...unmatched]", "route.ts");

type Address = { path: string; file: string; kind: "page" | "route" | "file"; group: string | null };

const PAGE = /^page\.(tsx|ts|jsx|js|mdx)$/;
const ROUTE = /^route\.(ts|js)$/;
/** Next's metadata files, served at their own name (https://nextjs.org/docs/app/api-reference/file-conventions/metadata). */
const STATIC_METADATA = /^(favicon\.ico|(icon|apple-icon|opengraph-image|twitter-image)\d*\.(ico|jpe?g|png|svg|gif)|robots\.txt|sitemap\.xml|manifest\.(json|webmanifest))$/;
const GENERATED_METADATA: [RegExp, (name: string) => string][] = [
  [/^robots\.(ts|js)$/, () => "robots.txt"],
  [/^sitemap\.(ts|js)$/, () => "sitemap.xml"],
  [/^manifest\.(ts|js)$/, () => "manifest.webmanifest"],
  [/^(icon|apple-icon|opengraph-image|twitter-image)\d*\.(tsx|ts|jsx|js)$/, (name) => name.replace(/\.\w+$/, "")],
];

/** A folder name as it appears in the URL: groups and slots vanish, a dynamic segment gets a sample value. */
function urlSegment(folder: string): string | null {
  if (/^\(.*\)$/.test(folder) || folder.startsWith("@")) return null;
  if (/^\[\[\.\.\..+\]\]$/.test(folder)) return null;
  if (/^\[\.\.\..+\]$/.test(folder)) return "a/b";
  if (/^\[.+\]$/.test(folder)) return "some-id";
  return folder;
}

function walk(dir: string, visit: (file: string, folders: string[]) => void, folders: string[] = []): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // "_folder" is private: never part of a URL.
    if (entry.isDirectory() && !entry.name.startsWith("_")) walk(path.join(dir, entry.name), visit, [...folders, entry.name]);
    else if (entry.isFile()) visit(entry.name, folders);
  }
}

function addressesOnDisk(): Address[] {
  const found: Address[] = [];
  const at = (folders: string[], last?: string) => `/${[...folders.map(urlSegment), last].filter((part) => part != null && part !== "").join("/")}`;
  walk(path.join(root, "app"), (name, folders) => {
    const file = path.join("app", ...folders, name);
    const group = folders.find((folder) => /^\(.*\)$/.test(folder)) ?? null;
    if (PAGE.test(name)) found.push({ path: at(folders), file, kind: "page", group });
    else if (ROUTE.test(name)) found.push({ path: at(folders), file, kind: "route", group });
    else if (STATIC_METADATA.test(name)) found.push({ path: at(folders, name), file, kind: "file", group });
    else {
      const generated = GENERATED_METADATA.find(([pattern]) => pattern.test(name));
      if (generated) found.push({ path: at(folders, generated[1](name)), file, kind: "file", group });
    }
  });
  // Served as they are, at their path under public/.
  if (existsSync(path.join(root, "public"))) {
    walk(path.join(root, "public"), (name, folders) => found.push({ path: at(folders, name), file: path.join("public", ...folders, name), kind: "file", group: null }));
  }
  walk(path.join(root, "pages"), (name, folders) => {
    if (name.startsWith("_") || !/\.(tsx|ts|jsx|js)$/.test(name)) return;
    const file = path.join("pages", ...folders, name);
    const last = name.replace(/\.\w+$/, "").replace(/^index$/, "");
    found.push({ path: at(folders, last), file, kind: folders[0] === "api" ? "route" : "page", group: null });
  });
  return found;
}

const addresses = addressesOnDisk();
const source = (address: Address) => readFileSync(path.join(root, address.file), "utf8");

describe("protected unless public", () => {
  it("reads the app's addresses from its files (control: pages, route handlers, the Pages Router route and the icon)", () => {
    expect(addresses.map((address) => address.path)).toEqual(
      expect.arrayContaining(["/dashboard", "/admin/users/some-id", "/login", "/api/me", "/api/auth/sessions/some-id", "/api/auth/refresh", "/icon.svg"]),
    );
  });

  it("makes public exactly the addresses named here", () => {
    const open = addresses.filter((address) => !isProtectedPath(address.path)).map((address) => address.path);
    expect([...new Set(open)].sort()).toEqual(PUBLIC_ADDRESSES);
  });

  it("serves every static file signed out: icons and metadata in app/, anything in public/", () => {
    for (const address of addresses.filter((address) => address.kind === "file")) expect(pathAccess(address.path), address.file).toBe("publicRoute");
  });

  it("protects every page under app/(signed-in)/, which no list names", () => {
    const signedIn = addresses.filter((address) => address.group === "(signed-in)");
    expect(signedIn.map((address) => address.path)).toEqual(expect.arrayContaining(["/dashboard", "/account", "/admin", "/settings/notifications"]));
    for (const address of signedIn) expect(pathAccess(address.path), address.file).toBe("protected");
  });

  it("protects what is added anywhere without a list entry: a page, an API route, one beside a public one, an unknown address", () => {
    for (const pathname of ["/reports", "/settings/billing", "/api/projects", "/api/auth/api-keys", "/api/auth/login-help", "/login/help", "/no-such-page", "//login"]) {
      expect(isProtectedPath(pathname), pathname).toBe(true);
    }
  });

  it("calls the data access layer from every protected page and route handler (contract invariant 5)", () => {
    const unchecked = addresses.filter(
      (address) => address.kind !== "file" && address.file !== UNMATCHED_API && isProtectedPath(address.path) && !SESSION_CHECK.test(source(address)),
    );
    expect(unchecked.map((address) => address.file)).toEqual([]);
  });

  it("lists nothing the app does not serve, so the lists stay short", () => {
    for (const page of PUBLIC_PAGES) {
      expect(addresses.some((address) => address.kind === "page" && address.path === page), page).toBe(true);
    }
    // `/_next` is the framework's own.
    for (const base of PUBLIC_ROUTES.filter((base) => base !== "/_next")) {
      expect(addresses.some((address) => address.path === base || address.path.startsWith(`${base}/`)), base).toBe(true);
    }
  });

  it("keeps pages in the public route groups on the public list: app/(auth)/ and app/(site)/ promise them to anyone", () => {
    for (const address of addresses.filter((address) => address.group === "(auth)" || address.group === "(site)")) {
      expect(pathAccess(address.path), address.file).toBe("publicPage");
    }
  });
});
