import { describe, expect, it } from "vitest";
import { isUndecodablePath } from "@/lib/http/undecodable-path";

describe("paths that are not percent-encoding", () => {
  it.each(["/api/admin/users/%", "/api/admin/users/%ZZ/disable", "/admin/users/%E0%A4%A", "/api/auth/sessions/%C0%AF", "/a%FF", "/a%"])("%s is undecodable", (path) => {
    expect(isUndecodablePath(path)).toBe(true);
  });

  it.each(["/", "/api/admin/users/0b6d3b4e-6f3a-4c53-9d2e-6a1f4f1c2b3a", "/api/admin/users/%25", "/admin/users/%E2%80%AE", "/a%2Fb"])("%s is fine", (path) => {
    expect(isUndecodablePath(path)).toBe(false);
  });
});
