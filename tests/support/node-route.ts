import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { NextRequest } from "next/server";
import refreshEndpoint from "@/pages/api/auth/refresh";
import type { RouteHandler } from "./client";

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * A Pages Router API route (lib/http/node-route.ts) as TestClient calls route
 * handlers: each request crosses a real Node HTTP server in this process, as
 * Next hands it Node's request and response. Mocks and the faked clock apply.
 */
export function throughNodeServer(handler: NodeHandler): RouteHandler {
  let origin: Promise<string> | undefined;
  const listen = () =>
    new Promise<string>((resolve) => {
      const server = createServer((req, res) => void handler(req, res));
      server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
      // Vitest's worker ends when its tests do; an idle listener must not hold it.
      server.unref();
    });
  return async (request: NextRequest) => {
    origin ??= listen();
    const url = new URL(request.url);
    return fetch(`${await origin}${url.pathname}${url.search}`, {
      method: request.method,
      headers: request.headers,
      body: request.body === null ? undefined : await request.text(),
      redirect: "manual",
    });
  };
}

/** POST /api/auth/refresh. */
export const refresh = throughNodeServer(refreshEndpoint);
