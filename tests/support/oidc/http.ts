import { createServer, type IncomingMessage, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";

// Plumbing the stand-ins share: bodies in, JSON out, a loopback listener.

const MAX_BODY = 64 * 1024;

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error("Request body over 64 KB.");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A form or JSON body as flat string fields; anything else (or nothing) is {}. */
export function parseFields(raw: string, contentType: string | undefined): Record<string, string> {
  if (contentType?.includes("application/json")) {
    const body = parseJson(raw);
    if (!body || typeof body !== "object" || Array.isArray(body)) return {};
    return Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

export type Listening = { server: Server; port: number; close(): Promise<void> };

/**
 * Listen on 127.0.0.1 first, handler later: the provider's issuer must name
 * the port, and with port 0 the port is known only once the socket is bound.
 */
export async function listenOnLoopback(port: number): Promise<Listening & { handle(listener: RequestListener): void }> {
  let listener: RequestListener | undefined;
  const server = createServer((request, response) => {
    if (listener) return listener(request, response);
    response.statusCode = 503;
    response.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    handle(next) {
      listener = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A browser's keep-alive socket would hold close() open until it times out.
        server.closeAllConnections();
      }),
  };
}
