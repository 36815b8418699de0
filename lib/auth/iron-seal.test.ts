import { describe, expect, it } from "vitest";
import { sealData, unsealData } from "iron-session";
import { sealIron, unsealIron } from "@/lib/auth/iron-seal";
import { generateAuthSecret } from "@/lib/auth/generate-secrets";

const password = generateAuthSecret();
const claim = { rt: "a refresh token", n: 1, nested: { ok: true } };

/** The seal's eight `*`-separated parts, its "~2" suffix left off. */
const parts = (sealed: string) => sealed.slice(0, -2).split("*");
const withPart = (sealed: string, index: number, value: string) => {
  const changed = parts(sealed);
  changed[index] = value;
  return `${changed.join("*")}~2`;
};

describe("iron seals on node:crypto", () => {
  it("are unsealed by iron-session, and unseal what iron-session sealed", async () => {
    expect(await unsealData(sealIron(claim, password, 3600), { password })).toEqual(claim);
    expect(unsealIron(await sealData(claim, { password, ttl: 3600 }), password)).toEqual(claim);
  });

  it("have iron-session's shape: Fe26.2, password id 1, fresh salts and IV, an expiry, the ~2 suffix", () => {
    const now = Date.UTC(2026, 11, 7);
    const [prefix, id, salt, iv, , expiry, macSalt] = parts(sealIron(claim, password, 3600, now));
    const again = parts(sealIron(claim, password, 3600, now));
    expect(sealIron(claim, password, 3600).endsWith("~2")).toBe(true);
    expect([prefix, id, expiry]).toEqual(["Fe26.2", "1", String(now + 3_600_000)]);
    expect(salt).toMatch(/^[0-9a-f]{64}$/);
    expect(macSalt).toMatch(/^[0-9a-f]{64}$/);
    expect(Buffer.from(iv!, "base64url")).toHaveLength(16);
    expect([again[2], again[3], again[6]]).not.toContain(salt);
    expect(again[3]).not.toBe(iv);
  });

  it("expire after their time, with iron's minute for clocks that disagree", () => {
    const now = Date.UTC(2026, 11, 7);
    const sealed = sealIron(claim, password, 60, now);
    expect(unsealIron(sealed, password, now + 60_000 + 59_000)).toEqual(claim);
    expect(unsealIron(sealed, password, now + 60_000 + 60_000)).toBeUndefined();
  });

  it("unseal nothing under another password", async () => {
    expect(unsealIron(sealIron(claim, generateAuthSecret(), 3600), password)).toBeUndefined();
    expect(unsealIron(await sealData(claim, { password: generateAuthSecret(), ttl: 3600 }), password)).toBeUndefined();
  });

  it("unseal nothing once any part is changed, the expiry and the salts included", () => {
    const sealed = sealIron(claim, password, 3600);
    const flip = (value: string) => (value[0] === "A" ? "B" : "A") + value.slice(1);
    for (let index = 0; index < 8; index++) {
      const changed = index === 5 ? String(Number(parts(sealed)[5]) + 86_400_000) : flip(parts(sealed)[index]!);
      expect(unsealIron(withPart(sealed, index, changed), password)).toBeUndefined();
    }
    expect(unsealIron(withPart(sealed, 7, `${parts(sealed)[7]}A`), password)).toBeUndefined();
    expect(unsealIron(sealed.slice(0, -1), password)).toBeUndefined();
    expect(unsealIron(`${sealed}A`, password)).toBeUndefined();
    expect(unsealIron(`${parts(sealed).join("*")}*extra~2`, password)).toBeUndefined();
  });

  it("unseal nothing from a seal without an expiry or under another password id, though its MAC is right", async () => {
    // iron-session seals with ttl 0 as "never expires": a seal of ours always expires.
    expect(unsealIron(await sealData(claim, { password, ttl: 0 }), password)).toBeUndefined();
    expect(unsealIron(await sealData(claim, { password: { 2: password }, ttl: 3600 }), password)).toBeUndefined();
  });

  it("unseal nothing from garbage", () => {
    for (const value of ["", "~2", "Fe26.2~2", "Fe26.2*1*a*b*c*1*d*e~2", "Fe26.2********~2", "not a seal"]) {
      expect(unsealIron(value, password)).toBeUndefined();
    }
  });
});
