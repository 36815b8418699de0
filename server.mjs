// `npm start`: Next's production server behind a few lines that record the
// TCP peer's address in a header the client cannot set (any value it sent is
// overwritten). Without this, Next fills X-Forwarded-For from the socket only
// when the client sent none, so a client could pick the IP every per-IP rate
// limit counts by. See docs/decisions/0008-client-ip.md.
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import next from "next";

const PEER_IP_HEADER = "x-doorman-peer-ip"; // lib/http/client-meta.ts reads it

// The same flags and variables as `next start`. This launcher, like `next
// start`, reads its port from the environment; the app's own configuration is
// still read only by lib/env.ts.
const { values } = parseArgs({
  options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } },
});
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname ?? process.env.HOSTNAME;

/**
 * Next answers a path it cannot percent-decode (`/api/admin/users/%`) with a
 * bare 500 wherever a route has a dynamic segment. The middleware refuses such
 * paths in the contract's shape, but prefetches skip the middleware: this
 * answers all of them alike (lib/http/undecodable-path.ts is the same test).
 */
function isUndecodablePath(url) {
  try {
    decodeURIComponent(url.split("?")[0]);
    return false;
  } catch {
    return true;
  }
}

function refuseUndecodablePath(response) {
  const body = JSON.stringify({ error: { code: "invalid_request", message: "The request is not valid." } });
  response.writeHead(400, { "Content-Type": "application/json", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" });
  response.end(body);
}

const app = next({ dev: false, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

createServer((request, response) => {
  request.headers[PEER_IP_HEADER] = request.socket.remoteAddress ?? "";
  if (isUndecodablePath(request.url ?? "/")) return refuseUndecodablePath(response);
  void handle(request, response);
}).listen(port, hostname, () => {
  console.log(`Doorman listening on http://${hostname ?? "localhost"}:${port}`);
});
