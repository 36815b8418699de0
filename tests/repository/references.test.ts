import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// A clone is all a reader has: every document and file the repository cites
// must be in it, secrets written where the README says must never be
// committed, and the licence the home page promises must be there.
// Regression: code and README cited the security bar, the contract and platform notes,
// which lived outside the repository, and `.env.production.local` was not ignored.

const root = path.resolve(import.meta.dirname, "../..");
const git = (...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8" });

const tracked = git("ls-files", "-z")
  .split("\0")
  .filter((file) => /\.(ts|tsx|mjs|md)$|^\.ci\/run$/.test(file));

/** `docs/decisions/0012`, `docs/contract.md`, `SECURITY.md`, `lib/auth/edge/jwt.ts`, … as written in the text. */
const REFERENCE =
  /(?<![\w/.@-])((?:docs|lib|app|tests|scripts|bench|db|examples)\/[\w./()[\]-]*[\w)\]/]|[A-Z][A-Z_]+\.md)(?![\w/])/g;

function resolves(reference: string): boolean {
  const decision = /^docs\/decisions\/(\d{4})\b/.exec(reference);
  if (decision) return readdirSync(path.join(root, "docs/decisions")).some((name) => name.startsWith(`${decision[1]}-`));
  // Prose closes a parenthesis after a path: `(see lib/env.ts)`. A module is cited as imported, without its extension.
  const paths = [reference, reference.replace(/\)+$/, "")];
  return paths.some((file) => ["", ".ts", ".tsx"].some((extension) => existsSync(path.join(root, file + extension))));
}

describe("the repository stands on its own", () => {
  it("finds references to check (control: the scan reads the tree)", () => {
    const all = tracked.flatMap((file) => [...readFileSync(path.join(root, file), "utf8").matchAll(REFERENCE)]);
    expect(all.length).toBeGreaterThan(50);
  });

  it("cites only documents and files that are in it", () => {
    const missing: string[] = [];
    for (const file of tracked) {
      for (const [, reference] of readFileSync(path.join(root, file), "utf8").matchAll(REFERENCE)) {
        if (!resolves(reference!)) missing.push(`${file}: ${reference}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("ignores every env file but the example", () => {
    const ignored = (name: string) => {
      try {
        git("check-ignore", "-q", name);
        return true;
      } catch {
        return false;
      }
    };
    for (const name of [".env", ".env.local", ".env.production", ".env.production.local", ".env.development.local"]) {
      expect(ignored(name), name).toBe(true);
    }
    expect(ignored(".env.example")).toBe(false);
  });

  it("carries the licence the home page promises", () => {
    expect(readFileSync(path.join(root, "LICENSE"), "utf8")).toMatch(/^MIT License/);
    expect(readFileSync(path.join(root, "package.json"), "utf8")).toMatch(/"license": "MIT"/);
  });
});
