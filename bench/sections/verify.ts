import { decode as authJsDecode, encode as authJsEncode } from "@auth/core/jwt";
import { sealData, unsealData } from "iron-session";
import { checkAccessToken, signAccessToken, verifyAccessToken } from "@/lib/auth/edge/jwt";
import { keyRing } from "@/lib/auth/edge/keys";
import { fmt, type SectionResult } from "../lib/markdown";
import type { BenchOptions } from "../lib/options";
import { ratioSpread, rotated, spread } from "../lib/stats";

// Section 1: what one request's credential check costs, in this process, for
// Doorman and for the alternatives a reader would weigh it against. The
// process's configuration (APP_URL, keys, AUTH_SECRET) is set by run.ts.

type Contender = { name: string; detail: string; once: () => Promise<unknown> };

const AUTHJS_SALT = "authjs.session-token"; // the cookie name Auth.js v5 derives its key with

export async function benchVerify(options: BenchOptions, secret: string): Promise<SectionResult> {
  const { token } = await signAccessToken({
    userId: crypto.randomUUID(),
    sessionId: crypto.randomUUID(),
    role: "user",
    email: "ada@example.com",
    name: "Ada Lovelace",
  });
  if (!(await verifyAccessToken(token)).ok) throw new Error("Doorman's own token did not verify");
  // The same claims for everyone: what a session cookie has to carry.
  const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;

  const [header, payload, signature] = token.split(".") as [string, string, string];
  const signed = new TextEncoder().encode(`${header}.${payload}`);
  const signatureBytes = Buffer.from(signature, "base64url");
  const publicKey = [...(await keyRing()).verifying.values()][0]!;

  const authJsToken = await authJsEncode({ token: claims, secret, salt: AUTHJS_SALT });
  if (!(await authJsDecode({ token: authJsToken, secret, salt: AUTHJS_SALT }))) throw new Error("Auth.js decode failed");
  const sealed = await sealData(claims, { password: secret });

  const contenders: Contender[] = [
    {
      name: "Doorman `checkAccessToken`",
      detail:
        "jose ES256, key imported once; alg, iss, aud, typ, exp checked: what middleware.ts runs the first time a process sees a token",
      once: async () => {
        if (!(await checkAccessToken(token)).ok) throw new Error("verify failed");
      },
    },
    {
      name: "WebCrypto floor",
      detail: "`crypto.subtle.verify` ECDSA P-256/SHA-256 over the same bytes, nothing else",
      once: async () => {
        if (!(await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, publicKey, signatureBytes, signed))) {
          throw new Error("floor verify failed");
        }
      },
    },
    {
      name: "Auth.js v5 `decode`",
      detail: "`@auth/core/jwt`: HKDF key derivation, then JWE dir/A256CBC-HS512 decrypt (per request)",
      once: async () => {
        if (!(await authJsDecode({ token: authJsToken, secret, salt: AUTHJS_SALT }))) throw new Error("decode failed");
      },
    },
    {
      name: "iron-session `unsealData`",
      detail: "the same claims sealed (PBKDF2-derived keys, AES-256-CBC + HMAC-SHA-256)",
      once: () => unsealData(sealed, { password: secret }),
    },
    {
      name: "Doorman `verifyAccessToken`, token seen before",
      detail: "the remembered verdict of an earlier full check, expiry checked again: what every later request with that token costs",
      once: async () => {
        if (!(await verifyAccessToken(token)).ok) throw new Error("verify failed");
      },
    },
  ];

  // A whole round first, thrown away: V8 takes a few thousand calls to settle
  // on its optimised code, later for Doorman's longer path than for the floor.
  for (const contender of contenders) for (let i = 0; i < options.verifyIterations; i++) await contender.once();
  const perRound = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < options.verifyRounds; round++) {
    for (const contender of rotated(contenders, round)) {
      for (let i = 0; i < options.verifyWarmup; i++) await contender.once();
      const started = process.hrtime.bigint();
      for (let i = 0; i < options.verifyIterations; i++) await contender.once();
      const micros = Number(process.hrtime.bigint() - started) / 1000 / options.verifyIterations;
      perRound.get(contender.name)!.push(micros);
    }
  }

  const [doorman, floor, authJs, iron, remembered] = contenders.map((c) => perRound.get(c.name)!) as [number[], number[], number[], number[], number[]];
  const overFloor = ratioSpread(doorman, floor);
  const authJsOverDoorman = ratioSpread(authJs, doorman);
  return {
    title: "1. Verifying one request's credential (in-process)",
    method:
      `One Node process, one token, sequential awaits: ${options.verifyIterations} calls per contender per round after ` +
      `${options.verifyWarmup} warm-up calls, ${options.verifyRounds} rounds with the order rotated each round, after one ` +
      "discarded round. " +
      "Microseconds per call. In `next start` the middleware runs this in Next's edge sandbox on the same Node crypto.",
    tables: [
      {
        headers: ["contender", "what it does", "µs per call", "x Doorman"],
        rows: contenders.map((c) => {
          const own = perRound.get(c.name)!;
          return [c.name, c.detail, fmt(spread(own), 1), fmt(ratioSpread(own, doorman), 2)];
        }),
      },
    ],
    targets: [
      { what: "Doorman over the WebCrypto floor", goal: "≤ 1.35x", measured: fmt(overFloor, 2, "x"), met: overFloor.median <= 1.35 },
      { what: "Auth.js decode over Doorman", goal: "≥ 3x", measured: fmt(authJsOverDoorman, 2, "x"), met: authJsOverDoorman.median >= 3 },
    ],
    notes: [
      `Auth.js decode over the WebCrypto floor: ${fmt(ratioSpread(authJs, floor), 2, "x")}. No ES256 verifier can be ` +
        "cheaper than the floor, so where this is under 3x, the 3x target is out of reach for ES256 itself on this machine.",
      `iron-session unseal over Doorman: ${fmt(ratioSpread(iron, doorman), 2, "x")}. The middleware never unseals the refresh cookie on the fast path.`,
      "The targets compare the full check. A browser sends one token for its whole life, so each process checks it fully " +
        `once and remembers the verdict (docs/decisions/0012): every later request costs ${fmt(spread(remembered), 1)} µs, ` +
        `the floor costs ${fmt(ratioSpread(floor, remembered), 0, "x")} as much.`,
    ],
  };
}
