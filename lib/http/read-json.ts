import type { z } from "zod";
import { AppError, type FieldErrors } from "@/lib/errors";

/** SECURITY.md: bodies over 16 KB are refused before parsing. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Reads, size-checks, parses and validates a JSON body, once, at the edge of the system. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(contentType)) throw new AppError("unsupportedMediaType");
  const text = await readBodyText(request);
  return validate(schema, parseJson(text));
}

export function validate<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError("invalidRequest", { fields: fieldErrors(result.error) });
  return result.data;
}

export function fieldErrors(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join(".") : "body";
    fields[key] ??= issue.message;
  }
  return fields;
}

export async function readBodyText(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new AppError("payloadTooLarge");
  if (!request.body) return "";
  // Content-Length can be absent (chunked) or lie: count what actually arrives.
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new AppError("payloadTooLarge");
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(concat(chunks, size));
  } catch {
    throw new AppError("invalidJson", { message: "The request body is not valid UTF-8." });
  }
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text, (key, value: unknown) => {
      // Prototype-pollution probes are refused outright rather than silently
      // dropped: `__proto__`, and `constructor.prototype`, the other path a
      // careless deep merge follows to Object.prototype.
      if (key === "__proto__") throw new SyntaxError("__proto__ key");
      if (key === "constructor" && typeof value === "object" && value !== null && Object.hasOwn(value, "prototype")) {
        throw new SyntaxError("constructor.prototype key");
      }
      return value;
    });
  } catch {
    throw new AppError("invalidJson");
  }
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
