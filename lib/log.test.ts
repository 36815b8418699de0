import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it, vi } from "vitest";
import { describeError, logEvent, withRequestId } from "@/lib/log";

describe("describeError", () => {
  it("keeps a failed query's SQLSTATE and drops its SQL and parameters", () => {
    const cause = Object.assign(new Error('duplicate key value violates unique constraint "users_email"'), { code: "23505" });
    const error = new DrizzleQueryError("insert into users (password_hash) values ($1)", ["$2b$12$secret-hash"], cause);
    const described = describeError(error);
    expect(described).toContain("23505");
    expect(described).not.toContain("secret-hash");
    expect(described).not.toContain("insert into");
  });

  it("keeps an ordinary error's name, code and message", () => {
    expect(describeError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toBe(
      "Error ECONNREFUSED: connect ECONNREFUSED",
    );
  });

  it("says nothing of a thrown non-error's value", () => {
    expect(describeError("token=abc")).toBe("non-error thrown");
  });
});

describe("logEvent", () => {
  const lines = () => vi.mocked(console.info).mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);

  it("carries the id of the request it runs for, across awaits, and none outside one", async () => {
    logEvent("info", "outside");
    await withRequestId("request-one-0001", async () => {
      logEvent("info", "first");
      await new Promise((resolve) => setTimeout(resolve, 1));
      await withRequestId("request-two-0002", async () => logEvent("info", "nested"));
      logEvent("info", "after", { userId: "u1" });
    });
    expect(lines().map(({ event, requestId }) => [event, requestId])).toEqual([
      ["outside", undefined],
      ["first", "request-one-0001"],
      ["nested", "request-two-0002"],
      ["after", "request-one-0001"],
    ]);
    expect(lines()[3]).toMatchObject({ level: "info", userId: "u1" });
  });
});
