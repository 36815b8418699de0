import { env } from "@/lib/env";

// The native apps registered in NATIVE_CLIENTS (lib/env.ts validates them),
// and the one rule for whether a redirect URI is one of theirs. Only
// first-party apps are listed here: Doorman shows no consent screen
// (docs/decisions/0034).

export type NativeClient = { clientId: string; redirectUris: readonly string[] };

export function findNativeClient(clientId: string): NativeClient | null {
  return env().NATIVE_CLIENTS.find((client) => client.clientId === clientId) ?? null;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]"]);

/**
 * Exact string comparison (RFC 6749 §3.1.2.3, RFC 9700 §4.1.3), with one
 * exception: a registered http URI on a loopback address matches whatever
 * port the app listens on this time (RFC 8252 §7.3), everything else equal.
 */
export function isRegisteredRedirectUri(client: NativeClient, presented: string): boolean {
  return client.redirectUris.some((registered) => registered === presented || loopbackMatch(registered, presented));
}

function loopbackMatch(registered: string, presented: string): boolean {
  const a = parseLoopback(registered);
  const b = parseLoopback(presented);
  // The presented URI must be written as the URL parser writes it: no dot
  // segments, escapes or case for the parser to fold into a registered one.
  if (!a || !b || b.href !== presented) return false;
  a.port = "";
  b.port = "";
  return a.href === b.href;
}

function parseLoopback(value: string): URL | null {
  if (!URL.canParse(value)) return null;
  const url = new URL(value);
  return url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname) && !url.username && !url.password ? url : null;
}
