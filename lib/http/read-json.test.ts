import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MAX_BODY_BYTES, readJson } from "@/lib/http/read-json";
import { AppError } from "@/lib/errors";

const Schema = z.object({ email: z.string().min(3, "Too short."), age: z.number({ error: "Must be a number." }) });

function post(body: BodyInit | null, headers: Record<string, string> = { "content-type": "application/json" }): Request {
  return new Request("http://localhost:3000/api/x", { method: "POST", headers, body, duplex: "half" } as RequestInit);
}

async function failure(request: Request): Promise<AppError> {
  try {
    await readJson(request, Schema);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("readJson accepted the request");
}

/** A body that arrives in chunks with no Content-Length, as with Transfer-Encoding: chunked. */
function chunked(totalBytes: number, chunkBytes = 1024): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      const size = Math.min(chunkBytes, totalBytes - sent);
      sent += size;
      controller.enqueue(new TextEncoder().encode(sent === size ? `{"email":"${"a".repeat(size - 10)}` : "a".repeat(size)));
    },
  });
  return { stream, pulled: () => sent };
}

describe("readJson", () => {
  it("parses and validates a JSON body", async () => {
    expect(await readJson(post(JSON.stringify({ email: "ada", age: 36 })), Schema)).toEqual({ email: "ada", age: 36 });
    expect(await readJson(post("{}", { "content-type": "application/json; charset=utf-8" }), z.object({}))).toEqual({});
  });

  it("answers 415 for text/plain and for a missing content type", async () => {
    expect(await failure(post('{"email":"ada","age":1}', { "content-type": "text/plain" }))).toMatchObject({ status: 415, code: "unsupported_media_type" });
    expect(await failure(post('{"email":"ada","age":1}', {}))).toMatchObject({ status: 415 });
    expect(await failure(post("email=ada", { "content-type": "application/x-www-form-urlencoded" }))).toMatchObject({ status: 415 });
  });

  it("answers 413 for a declared body over 16 KB", async () => {
    const body = JSON.stringify({ email: "a".repeat(MAX_BODY_BYTES), age: 1 });
    expect(await failure(post(body, { "content-type": "application/json", "content-length": String(body.length) }))).toMatchObject({
      status: 413,
      code: "payload_too_large",
    });
  });

  it("answers 413 for an undeclared body over 16 KB and stops reading it", async () => {
    const { stream, pulled } = chunked(1024 * 1024);
    expect(await failure(post(stream))).toMatchObject({ status: 413, code: "payload_too_large" });
    expect(pulled()).toBeLessThan(64 * 1024);
  });

  it("answers 413 when Content-Length understates the body", async () => {
    const body = JSON.stringify({ email: "a".repeat(MAX_BODY_BYTES), age: 1 });
    const { stream } = chunked(body.length);
    expect(await failure(post(stream, { "content-type": "application/json", "content-length": "20" }))).toMatchObject({ status: 413 });
  });

  it("accepts a body of exactly 16 KB", async () => {
    const prefix = '{"email":"';
    const suffix = '","age":1}';
    const body = prefix + "a".repeat(MAX_BODY_BYTES - prefix.length - suffix.length) + suffix;
    expect(body.length).toBe(MAX_BODY_BYTES);
    expect((await readJson(post(body), Schema)).age).toBe(1);
  });

  it.each([
    ["malformed JSON", '{"email": "ada",'],
    ["an empty body", ""],
    ["a __proto__ key", '{"email":"ada","age":1,"__proto__":{"admin":true}}'],
    ["a nested __proto__ key", '{"email":"ada","age":1,"nested":{"__proto__":{"admin":true}}}'],
    ["a constructor.prototype path", '{"email":"ada","age":1,"constructor":{"prototype":{"admin":true}}}'],
    ["a nested constructor.prototype path", '{"email":"ada","age":1,"nested":[{"constructor":{"prototype":{"admin":true}}}]}'],
    ["invalid UTF-8", new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
  ])("answers 400 invalid_json for %s", async (_name, body) => {
    expect(await failure(post(body))).toMatchObject({ status: 400, code: "invalid_json" });
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it("accepts a plain `constructor` or `prototype` field", async () => {
    const Loose = z.object({ constructor: z.string(), prototype: z.number() });
    expect(await readJson(post('{"constructor":"x","prototype":1}'), Loose)).toEqual({ constructor: "x", prototype: 1 });
  });

  it("answers 400 invalid_request with a message for every bad field", async () => {
    const error = await failure(post(JSON.stringify({ email: "a", age: "36" })));
    expect(error).toMatchObject({ status: 400, code: "invalid_request" });
    expect(error.fields).toEqual({ email: "Too short.", age: expect.any(String) });
  });

  it("puts errors about the body itself under `body`", async () => {
    const error = await failure(post("[1,2,3]"));
    expect(error.code).toBe("invalid_request");
    expect(Object.keys(error.fields ?? {})).toEqual(["body"]);
  });
});
