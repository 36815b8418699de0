import { resetEnvCache } from "@/lib/env";

/** Sets each variable (undefined: unsets it) and makes lib/env.ts read them again. */
export function setEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvCache();
}

/** The variables' values now, to hand back to setEnv when the test is done. */
export function currentEnv<Name extends string>(names: readonly Name[]): Record<Name, string | undefined> {
  return Object.fromEntries(names.map((name) => [name, process.env[name]])) as Record<Name, string | undefined>;
}
