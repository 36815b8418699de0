import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { hashPassword } from "@/lib/auth/passwords/password";
import { deadlineSignal, DeadlineExceededError, offTheClock, withDeadline } from "@/lib/deadline";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `work` under a deadline on the fake clock, and says how it ended. */
async function settle<T>(run: () => Promise<T>, advanceMs: number): Promise<{ value: T } | { error: unknown }> {
  const outcome = run().then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await vi.advanceTimersByTimeAsync(advanceMs);
  return outcome;
}

describe("the database deadline", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("gives up on work that waits longer than the deadline", async () => {
    const outcome = await settle(() => withDeadline(() => sleep(150).then(() => "late"), 100), 200);
    expect(outcome).toEqual({ error: expect.any(DeadlineExceededError) });
  });

  // 60 ms on the clock, 500 ms off it, then more on it, under a 100 ms deadline.
  it.each([
    { after: 30, outcome: { value: "done" }, name: "does not count time spent off the clock" },
    { after: 60, outcome: { error: expect.any(DeadlineExceededError) }, name: "counts the waiting before and after a pause together" },
  ])("$name ($after ms after the pause)", async ({ after, outcome }) => {
    const ended = await settle(() => withDeadline(async () => {
      await sleep(60);
      await offTheClock(() => sleep(500));
      await sleep(after);
      return "done";
    }, 100), 1000);
    expect(ended).toEqual(outcome);
  });

  it("pauses every deadline the work runs under, the outer one too", async () => {
    const outcome = await settle(() => withDeadline(() => withDeadline(() => offTheClock(() => sleep(500)).then(() => "done"), 1000), 100), 1000);
    expect(outcome).toEqual({ value: "done" });
  });

  it("stays paused until the last of overlapping work off the clock ends", async () => {
    const outcome = await settle(() => withDeadline(async () => {
      await Promise.all([offTheClock(() => sleep(300)), offTheClock(() => sleep(500))]);
      await sleep(50);
      return "done";
    }, 100), 1000);
    expect(outcome).toEqual({ value: "done" });
  });

  it("signals the work it cut off, the work of an inner deadline too, and nothing outside any deadline", async () => {
    const signals: (AbortSignal | undefined)[] = [];
    const outcome = await settle(() => withDeadline(async () => {
      signals.push(deadlineSignal());
      await withDeadline(async () => {
        signals.push(deadlineSignal());
        await sleep(500);
      }, 1000);
    }, 100), 200);
    expect(outcome).toEqual({ error: expect.any(DeadlineExceededError) });
    expect(signals.map((signal) => signal?.reason)).toEqual([expect.any(DeadlineExceededError), expect.any(DeadlineExceededError)]);
    expect(deadlineSignal()).toBeUndefined();
  });

  it("leaves the signal of work that finished in time alone", async () => {
    let signal: AbortSignal | undefined;
    const outcome = await settle(() => withDeadline(async () => void (signal = deadlineSignal()), 100), 200);
    expect(outcome).toEqual({ value: undefined });
    expect(signal?.aborted).toBe(false);
  });

  it("restarts nothing when work that outlived its deadline goes off the clock later", async () => {
    let timersAfterPause = -1;
    const outcome = await settle(() => withDeadline(async () => {
      await sleep(150);
      await offTheClock(() => sleep(10));
      timersAfterPause = vi.getTimerCount();
    }, 100), 1000);
    expect(outcome).toEqual({ error: expect.any(DeadlineExceededError) });
    expect(timersAfterPause).toBe(0);
  });
});

describe("password hashing under a database deadline", { timeout: 20_000 }, () => {
  it("does not count against it: a cost-12 hash outlasts a 20 ms deadline and still succeeds", async () => {
    const started = Date.now();
    const hash = await withDeadline(() => hashPassword("correct horse battery staple"), 20);
    expect(hash).toMatch(/^\$2[aby]\$12\$/);
    expect(Date.now() - started).toBeGreaterThan(20);
  });
});
