import { describe, expect, it } from "vitest";
import { parseProviders } from "@/lib/auth/sso/providers";

const parse = (value: unknown) => parseProviders(JSON.stringify(value));

describe("OIDC_PROVIDERS", () => {
  it("reads a generic provider, adding openid to its scopes", () => {
    const result = parse([{ id: "acme", name: "Acme", issuer: "https://login.acme.test", clientId: "doorman", clientSecret: "s3cret", scopes: ["email"] }]);
    expect(result).toEqual({
      ok: true,
      providers: [
        { kind: "oidc", id: "acme", name: "Acme", issuer: "https://login.acme.test", clientId: "doorman", clientSecret: "s3cret", scopes: ["openid", "email"], emailVerification: "email_verified" },
      ],
    });
  });

  it("makes a public client of a provider without a secret, with the default scopes", () => {
    const result = parse([{ id: "acme", name: "Acme", issuer: "https://login.acme.test", clientId: "doorman" }]);
    expect(result.ok && result.providers[0]).toMatchObject({ clientSecret: null, scopes: ["openid", "email", "profile"] });
  });

  it("fills in the presets from an id and credentials", () => {
    const result = parse([
      { id: "google", clientId: "g", clientSecret: "gs" },
      { id: "microsoft", clientId: "m", clientSecret: "ms", tenant: "contoso.onmicrosoft.com" },
      { id: "github", clientId: "h", clientSecret: "hs" },
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [google, microsoft, github] = result.providers;
    expect(google).toMatchObject({ kind: "oidc", name: "Google", issuer: "https://accounts.google.com", emailVerification: "email_verified" });
    expect(microsoft).toMatchObject({ kind: "oidc", name: "Microsoft", issuer: "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0", emailVerification: "microsoft" });
    expect(github).toMatchObject({ kind: "github", name: "GitHub", webUrl: "https://github.com", apiUrl: "https://api.github.com", scopes: ["read:user", "user:email"] });
  });

  it("signs Microsoft in for any tenant when none is named (the issuer template openid-client fills from tid)", () => {
    const result = parse([{ id: "microsoft", clientId: "m", clientSecret: "ms" }]);
    expect(result.ok && result.providers[0]).toMatchObject({ issuer: "https://login.microsoftonline.com/common/v2.0" });
  });

  it("points the GitHub preset at GitHub Enterprise Server", () => {
    const result = parse([{ id: "github", clientId: "h", clientSecret: "hs", webUrl: "https://git.corp.test/", apiUrl: "https://git.corp.test/api/v3" }]);
    expect(result.ok && result.providers[0]).toMatchObject({ webUrl: "https://git.corp.test", apiUrl: "https://git.corp.test/api/v3" });
  });

  it.each([
    ["not JSON", "{", /JSON array/],
    ["an object", '{"id":"acme"}', /JSON array/],
    ["a bad id", JSON.stringify([{ id: "Acme!", name: "A", issuer: "https://a.test", clientId: "c" }]), /entry 0 \(id\)/],
    ["plain http off the machine", JSON.stringify([{ id: "acme", name: "A", issuer: "http://login.acme.test", clientId: "c" }]), /must be https/],
    ["a preset given an issuer", JSON.stringify([{ id: "google", clientId: "g", clientSecret: "s", issuer: "https://evil.test" }]), /entry 0/],
    ["a preset without its secret", JSON.stringify([{ id: "github", clientId: "h" }]), /entry 0 \(clientSecret\)/],
    ["a repeated id", JSON.stringify([{ id: "google", clientId: "a", clientSecret: "b" }, { id: "google", clientId: "c", clientSecret: "d" }]), /appears twice/],
    ["a scope with a space", JSON.stringify([{ id: "acme", name: "A", issuer: "https://a.test", clientId: "c", scopes: ["openid email"] }]), /scope/],
    ["an unknown key", JSON.stringify([{ id: "acme", name: "A", issuer: "https://a.test", clientId: "c", clientSecrte: "typo" }]), /entry 0/],
  ])("refuses %s, naming the problem", (_case, json, message) => {
    const result = parseProviders(json);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it("accepts plain http on the loopback interface only (a provider on this machine)", () => {
    expect(parse([{ id: "local", name: "Local", issuer: "http://127.0.0.1:3190", clientId: "c" }]).ok).toBe(true);
    expect(parse([{ id: "local", name: "Local", issuer: "http://localhost:3190", clientId: "c" }]).ok).toBe(true);
  });
});
