// How long each section runs. `--quick` only proves the benchmark works (CI);
// the full run is the one whose figures mean something.

export type BenchOptions = {
  quick: boolean;
  verifyRounds: number;
  verifyIterations: number;
  verifyWarmup: number;
  /** Rounds of every HTTP section but the login storm. */
  rounds: number;
  /** Rounds of the login storm (section 5), the slowest to repeat. */
  stormRounds: number;
  /** autocannon run per scenario and round (section 2). */
  httpSeconds: number;
  /** Closed-loop refresh load per level and round (sections 3 and 6). */
  refreshSeconds: number;
  /** Concurrent refresh clients, each needing its own session: the largest costs as many sign-ins. */
  refreshLevels: number[];
  /** Logins per storm client per round (section 5; 20 clients). */
  loginsPerStormClient: number;
  /** /api/me reads without a storm, per round (section 5). */
  baselineSeconds: number;
};

export function benchOptions(quick: boolean): BenchOptions {
  return quick
    ? {
        quick,
        verifyRounds: 3,
        verifyIterations: 1000,
        verifyWarmup: 100,
        // One round of everything: CI runs this on two cores after the whole test suite.
        rounds: 1,
        stormRounds: 1,
        httpSeconds: 1,
        refreshSeconds: 1,
        refreshLevels: [1, 10],
        loginsPerStormClient: 1,
        baselineSeconds: 1.5,
      }
    : {
        quick,
        verifyRounds: 5,
        verifyIterations: 3000,
        verifyWarmup: 300,
        rounds: 5,
        stormRounds: 3,
        httpSeconds: 6,
        refreshSeconds: 6,
        refreshLevels: [1, 10, 50],
        loginsPerStormClient: 2,
        baselineSeconds: 5,
      };
}
