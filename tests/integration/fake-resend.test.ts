import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Resend } from "resend";
import { startFakeResend, type FakeEmail, type FakeResend } from "../support/fake-resend";

// The fake must look like Resend to the real SDK, or the tests built on it
// prove nothing about delivery.

let fake: FakeResend;
let resend: Resend;
const message = { from: "Doorman <no-reply@doorman.test>", to: "ada@example.com", subject: "Hello", text: "Hi Ada", html: "<p>Hi Ada</p>" };

const inbox = async (to: string): Promise<FakeEmail[]> => (await fetch(`${fake.url}/__test/emails?to=${encodeURIComponent(to)}`)).json();
const failNext = (body: { status: number; count?: number; name?: string }) =>
  fetch(`${fake.url}/__test/fail-next`, { method: "POST", body: JSON.stringify(body) });

beforeAll(async () => {
  fake = await startFakeResend({ apiKey: "re_test_key" });
  resend = new Resend("re_test_key", { baseUrl: fake.url });
});
afterAll(() => fake.close());
beforeEach(async () => {
  await fetch(`${fake.url}/__test/reset`, { method: "POST" });
});

describe("fake Resend", () => {
  it("accepts what the SDK sends and lists it by recipient, case-insensitively", async () => {
    const { data, error } = await resend.emails.send(message);
    expect(error).toBeNull();
    const [stored, ...others] = await inbox("ADA@example.com");
    expect(others).toEqual([]);
    expect(stored).toMatchObject({ id: data!.id, from: message.from, to: ["ada@example.com"], subject: "Hello", text: "Hi Ada" });
    expect(await inbox("grace@example.com")).toEqual([]);
  });

  it("answers a repeated Idempotency-Key with the first answer and stores one message", async () => {
    const first = await resend.emails.send(message, { idempotencyKey: "outbox-1" });
    const again = await resend.emails.send(message, { idempotencyKey: "outbox-1" });
    expect(again.data?.id).toBe(first.data?.id);
    expect(await inbox(message.to)).toHaveLength(1);
    const changed = await resend.emails.send({ ...message, subject: "Other" }, { idempotencyKey: "outbox-1" });
    expect(changed.error).toMatchObject({ statusCode: 409, name: "invalid_idempotent_request" });
  });

  it("refuses a wrong key like Resend does", async () => {
    const { error } = await new Resend("re_wrong", { baseUrl: fake.url }).emails.send(message);
    expect(error).toMatchObject({ statusCode: 403, name: "invalid_api_key" });
  });

  it("fails the next sends on request: an HTTP status, or a dropped connection for status 0", async () => {
    await failNext({ status: 503, count: 2 });
    expect((await resend.emails.send(message)).error).toMatchObject({ statusCode: 503 });
    expect((await resend.emails.send(message)).error).toMatchObject({ statusCode: 503 });
    expect((await resend.emails.send(message)).error).toBeNull();

    await failNext({ status: 0 });
    expect((await resend.emails.send(message)).error).toMatchObject({ statusCode: null });
    expect(await inbox(message.to)).toHaveLength(1);
  });

  it("names a scripted failure as Resend names that status, unless told otherwise", async () => {
    await failNext({ status: 401 });
    expect((await resend.emails.send(message)).error).toMatchObject({ statusCode: 401, name: "missing_api_key" });
    await failNext({ status: 403 });
    expect((await resend.emails.send(message)).error).toMatchObject({ statusCode: 403, name: "invalid_api_key" });
    await failNext({ status: 422 });
    expect((await resend.emails.send(message)).error).toMatchObject({ statusCode: 422, name: "validation_error" });
    await failNext({ status: 403, name: "validation_error" });
    expect((await resend.emails.send(message)).error).toMatchObject({ statusCode: 403, name: "validation_error" });
  });
});
