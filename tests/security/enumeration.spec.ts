import { test, expect } from "@playwright/test";
import { PASSWORD, uniqueEmail } from "../e2e/support/users";
import { newAccount, newUnverifiedAccount, type Account } from "./support/accounts";
import { send } from "./support/http";
import { expectAlikeTimings, expectIdenticalAnswers, sampleBranches, similar } from "./support/timing";

// SECURITY.md "Login and enumeration": nothing tells an attacker whether an
// address has an account. For each endpoint, known and unknown addresses get
// the same status, body, headers and (no) cookies, in alike time: the answers
// are compared sample by sample and the timings by median over interleaved
// rounds. The control shows the band does catch a branch that skips bcrypt.
// A disabled account cannot be made through the running app (no admin API yet,
// and the CLI cannot open the embedded database while the server holds it);
// lib/auth/passwords/login.ts gives it the same answer and the integration tests check it.

// Each test sends 18-27 bcrypt-bound requests on a shared machine.
test.describe.configure({ timeout: 120_000 });

let known: Account;
let pending: { email: string; password: string };

test.beforeAll(async () => {
  [known, pending] = await Promise.all([newAccount("enum-known"), newUnverifiedAccount("enum-pending")]);
});

const post = (path: string, json: unknown) => () => send(path, { json });

test("control: the timing band tells a request that runs bcrypt from one that does not", async () => {
  // Unknown addresses, each new: the per-account throttle (10 failures) stays out of the login test's way.
  const samples = await sampleBranches({
    "unknown address (dummy bcrypt)": () => send("/api/auth/login", { json: { email: uniqueEmail("enum-nobody"), password: "not the password at all" } }),
    "malformed email (no bcrypt)": post("/api/auth/login", { email: "not-an-address", password: "not the password at all" }),
  });
  const { alike, summary } = similar(samples["unknown address (dummy bcrypt)"], samples["malformed email (no bcrypt)"]);
  expect(alike, summary).toBe(false);
});

test("sign-up: a new address and one that has an account get the same answer in alike time", async () => {
  const samples = await sampleBranches({
    "existing account": post("/api/auth/signup", { name: "Mallory", email: known.email, password: PASSWORD }),
    "unverified account": post("/api/auth/signup", { name: "Mallory", email: pending.email, password: PASSWORD }),
    "new address": () => send("/api/auth/signup", { json: { name: "Mallory", email: uniqueEmail("enum-new"), password: PASSWORD } }),
  });
  expectIdenticalAnswers(samples);
  expect(samples["new address"][0]!.response.status).toBe(202);
  expectAlikeTimings(samples);
});

test("forgot-password: the same answer in alike time for an account, an unverified one and no account", async () => {
  const samples = await sampleBranches({
    "existing account": post("/api/auth/forgot-password", { email: known.email }),
    "unverified account": post("/api/auth/forgot-password", { email: pending.email }),
    "no account": () => send("/api/auth/forgot-password", { json: { email: uniqueEmail("enum-nobody") } }),
  });
  expectIdenticalAnswers(samples);
  expect(samples["no account"][0]!.response.status).toBe(202);
  expectAlikeTimings(samples);
});

test("resend-verification: the same answer in alike time for unverified, verified and unknown addresses", async () => {
  const samples = await sampleBranches({
    "unverified account": post("/api/auth/resend-verification", { email: pending.email }),
    "verified account": post("/api/auth/resend-verification", { email: known.email }),
    "no account": () => send("/api/auth/resend-verification", { json: { email: uniqueEmail("enum-nobody") } }),
  });
  expectIdenticalAnswers(samples);
  expect(samples["no account"][0]!.response.status).toBe(202);
  expectAlikeTimings(samples);
});

test("login: unknown address, wrong password and an unverified account's wrong password get one 401 in alike time", async () => {
  const wrong = "not the password at all";
  const samples = await sampleBranches({
    "unknown address": () => send("/api/auth/login", { json: { email: uniqueEmail("enum-nobody"), password: wrong } }),
    "wrong password": post("/api/auth/login", { email: known.email, password: wrong }),
    "unverified account, wrong password": post("/api/auth/login", { email: pending.email, password: wrong }),
  });
  expectIdenticalAnswers(samples);
  expect(JSON.parse(samples["wrong password"][0]!.body)).toEqual({
    error: { code: "invalid_credentials", message: "The email or password is incorrect." },
  });
  expect(samples["wrong password"][0]!.response.status).toBe(401);
  expectAlikeTimings(samples);
});
