import { describe, expect, it } from "vitest";
import { describeSecurityEvent } from "@/lib/auth/events/describe-security-event";

describe("describeSecurityEvent", () => {
  it("tells a new-device sign-in from an ordinary one", () => {
    expect(describeSecurityEvent("sign_in", { newDevice: true })).toBe("Signed in from a new device");
    expect(describeSecurityEvent("sign_in", { newDevice: false })).toBe("Signed in");
    expect(describeSecurityEvent("sign_in", null)).toBe("Signed in");
    expect(describeSecurityEvent("sign_in", { newDevice: false, secondFactor: "totp" })).toBe("Signed in with an authenticator code");
    expect(describeSecurityEvent("sign_in", { newDevice: true, provider: "acme", secondFactor: "recovery_code" })).toBe("Signed in with acme and a recovery code from a new device");
  });

  it("tells an app's sign-in through the browser, and a replayed sign-in code", () => {
    expect(describeSecurityEvent("sign_in", { newDevice: true, via: "authorization_code", clientId: "com.example.notes" })).toBe(
      "Signed in from a new device, in an app through the browser",
    );
    expect(describeSecurityEvent("authorization_code_reuse", null)).toBe("A sign-in code for an app was used twice; the device it signed in was signed out");
  });

  it("says why sessions ended", () => {
    expect(describeSecurityEvent("sessions_revoked", { reason: "sign_out_everywhere", count: 2 })).toBe("Signed out everywhere");
    expect(describeSecurityEvent("sessions_revoked", { reason: "password_reset" })).toBe(
      "Every device was signed out after the password reset",
    );
  });

  it("names the new role and who changed it", () => {
    expect(describeSecurityEvent("role_changed", { actorId: "x", from: "user", to: "admin" })).toBe(
      "An administrator changed the role to admin",
    );
    expect(describeSecurityEvent("role_changed", { via: "command_line", from: "admin", to: "user" })).toBe(
      "Role changed to user from the command line",
    );
  });

  it("still says something for a type it does not know", () => {
    expect(describeSecurityEvent("mfa_enrolled", null)).toBe("Security event: mfa enrolled");
  });
});
