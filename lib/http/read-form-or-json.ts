import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { parseJson, readBodyText, validate } from "@/lib/http/read-json";

/**
 * OAuth clients post `application/x-www-form-urlencoded` (RFC 6749 §4.3.2,
 * RFC 7009 §2.1); our own SDK posts JSON. Both land in the same schema, with
 * the same 16 KB cap and the same refusals as readJson.
 */
export async function readFormOrJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const contentType = request.headers.get("content-type") ?? "";
  if (/^application\/json\s*(;|$)/i.test(contentType)) return validate(schema, parseJson(await readBodyText(request)));
  if (/^application\/x-www-form-urlencoded\s*(;|$)/i.test(contentType)) {
    return validate(schema, parseForm(await readBodyText(request)));
  }
  throw new AppError("unsupportedMediaType", { message: "Send the body as application/x-www-form-urlencoded or application/json." });
}

/** RFC 6749 §3.2: a parameter sent twice is an invalid request, not "the last one wins". */
function parseForm(text: string): Record<string, string> {
  const fields: Record<string, string> = Object.create(null);
  for (const [key, value] of new URLSearchParams(text)) {
    if (key === "__proto__" || key in fields) throw new AppError("invalidRequest", { fields: { body: "Send each parameter once." } });
    fields[key] = value;
  }
  return fields;
}
