import { vi } from "vitest";

/**
 * Moves the wall clock forward. Only Date is faked: timers, database sockets
 * and PGlite keep running in real time. setup-integration.ts restores the real
 * clock after every test.
 */
export function advanceClock(seconds: number): void {
  if (!vi.isFakeTimers()) vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
  vi.setSystemTime(Date.now() + seconds * 1000);
}
