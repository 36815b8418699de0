// Edge-safe. The one answer to "is this a path on our own origin?", for a
// redirect (`next=`, against APP_URL) and for a request that carries the
// user's token (callApi, against INTERNAL_URL).
//
// Judged after resolving, never by the string's prefix: the WHATWG URL parser
// drops tab, CR and LF anywhere and reads "\" as "/", so "/\t/evil.example"
// and "/\n/evil.example" start with one slash and still resolve to
// http://evil.example/. Control characters and whitespace are refused outright
// as well: no path we build a request or a redirect from needs one, and what
// the parser silently removes is what a reviewer cannot see.

const CONTROL_OR_WHITESPACE = /[\p{Cc}\s]/u;

export function hasControlOrWhitespace(value: string): boolean {
  return CONTROL_OR_WHITESPACE.test(value);
}

/** `value` resolved against `origin`, if it is a path that stays there; null otherwise. */
export function sameOriginPath(value: string, origin: string): URL | null {
  if (!value.startsWith("/") || hasControlOrWhitespace(value)) return null;
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return null;
  }
  if (url.origin !== origin) return null;
  // "/.//evil" resolves to the path "//evil": on our origin here, another host once it is a Location.
  // (A "\" never survives in an http(s) path: the parser made it "/".)
  if (url.pathname.startsWith("//")) return null;
  return url;
}
