import { env } from "@/lib/env";
import { FORWARDED_REQUEST_ID_SIGNATURE_HEADER, verifyRequestId } from "@/lib/http/forwarded-client";

// Edge-safe. One id per request, on every log line the request causes and on
// its response (X-Request-Id), so an operator can find everything one request
// did from what a person reports (docs/decisions/0032).

/** On the request as the middleware hands it on, and on every response. */
export const REQUEST_ID_HEADER = "x-request-id";

/**
 * What we accept from elsewhere: a UUID, nginx's 32 hex digits, Heroku's or
 * Vercel's ids. Nothing that could break a log line or a header, nothing long.
 */
const WELL_FORMED = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/;

export function isWellFormedRequestId(value: string | null | undefined): value is string {
  return typeof value === "string" && WELL_FORMED.test(value);
}

/**
 * The id of a request arriving from outside. A client's X-Request-Id is its
 * own to choose, so it is honoured only behind TRUST_PROXY proxies, which set
 * or overwrite it, and only when it is well formed; otherwise a new one.
 */
export function arrivingRequestId(headers: Headers): string {
  return wellFormedOrNew(env().TRUST_PROXY > 0 ? headers.get(REQUEST_ID_HEADER) : null);
}

/**
 * The id the middleware gave this request (it overwrites whatever came). A
 * request that skipped the middleware (a prefetch) carries the client's, when
 * well formed, or none: then a new one.
 */
export function handedOnRequestId(headers: Headers): string {
  return wellFormedOrNew(headers.get(REQUEST_ID_HEADER));
}

/** `given` when well formed, else a new id (a UUID). */
export function wellFormedOrNew(given: string | null | undefined): string {
  return isWellFormedRequestId(given) ? given : crypto.randomUUID();
}

/**
 * For the refresh endpoint, which the middleware does not run before: the id
 * the middleware sent with an HMAC when it refreshes on a request's behalf
 * (so the refresh logs under that request's id), else as arrivingRequestId.
 */
export async function vouchedRequestId(headers: Headers): Promise<string> {
  const given = headers.get(REQUEST_ID_HEADER);
  const signature = headers.get(FORWARDED_REQUEST_ID_SIGNATURE_HEADER);
  if (isWellFormedRequestId(given) && signature && (await verifyRequestId(given, signature))) return given;
  return arrivingRequestId(headers);
}
