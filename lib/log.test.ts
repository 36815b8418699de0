import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it } from "vitest";
import { describeError } from "@/lib/log";

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
