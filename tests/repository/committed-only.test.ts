import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// A committed `.only` runs one test and reports the suite green. CI must fail
// instead: `.ci/run` sets CI=true itself, whoever calls it, and both runners
// refuse `.only` under it (Playwright's forbidOnly, Vitest's allowOnly).

const root = path.resolve(import.meta.dirname, "../..");
// Under the unit project's include, or `vitest run <file>` would not pick it.
const scratch = mkdtempSync(path.join(import.meta.dirname, "only-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function runVitestOn(file: string, env: NodeJS.ProcessEnv) {
  return spawnSync("npx", ["vitest", "run", "--project", "unit", file], { cwd: root, env, encoding: "utf8", timeout: 60_000 });
}

describe("a committed .only", () => {
  const file = path.join(scratch, "focused.test.ts");
  writeFileSync(file, `import { it } from "vitest";\nit.only("focused", () => {});\nit("skipped", () => {});\n`);
  const { CI: _ci, ...withoutCi } = process.env;

  it("fails Vitest under CI=true (control: it passes without CI)", () => {
    const underCi = runVitestOn(file, { ...withoutCi, CI: "true" });
    expect(underCi.status).not.toBe(0);
    expect(`${underCi.stdout}${underCi.stderr}`).toMatch(/\.only/);
    expect(runVitestOn(file, withoutCi).status).toBe(0);
  }, 120_000);

  it("fails Playwright under CI, and .ci/run sets CI itself", () => {
    expect(readFileSync(path.join(root, "playwright.config.ts"), "utf8")).toMatch(/forbidOnly: !!process\.env\.CI/);
    expect(readFileSync(path.join(root, ".ci/run"), "utf8")).toMatch(/^export CI=true$/m);
  });
});
