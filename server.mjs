// `npm start`: Next's production server behind a few lines that record the
// TCP peer's address in a header the client cannot set (any value it sent is
// overwritten), with a per-process secret beside it that proves this file
// wrote it. Without this, Next fills X-Forwarded-For from the socket only
// when the client sent none, so a client could pick the IP every per-IP rate
// limit counts by. See docs/decisions/0008-client-ip.md.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import next from "next";

// Next's own parser of its router-state header, so the verdict below is the
// one the renderer would reach. A moved module stops the server at start, not
// later; next.config.ts copies it into a standalone build.
const { parseAndValidateFlightRouterState } = createRequire(import.meta.url)(
  "next/dist/server/app-render/parse-and-validate-flight-router-state",
);

// lib/http/client-meta.ts reads both headers.
const PEER_IP_HEADER = "x-doorman-peer-ip";
const PEER_PROOF_HEADER = "x-doorman-peer-proof";

// New at every start, known to no client. Set before Next loads anything: the
// app reads it through lib/env.ts, and the middleware's edge sandbox copies
// process.env when it is created, at the first request.
const peerProof = randomBytes(32).toString("base64url");
process.env.DOORMAN_PEER_PROOF = peerProof;

// The same flags and variables as `next start`. This launcher, like `next
// start`, reads its port from the environment; the app's own configuration is
// still read only by lib/env.ts.
const { values } = parseArgs({
  options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } },
});
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname ?? process.env.HOSTNAME;

/**
 * Two inputs Next answers with a bare 500: a path it cannot percent-decode
 * (`/api/admin/users/%`) wherever a route has a dynamic segment, and a
 * `Next-Router-State-Tree` header it cannot parse. The middleware refuses bad
 * paths in the contract's shape, but prefetches skip the middleware: this
 * answers all of them alike (lib/http/undecodable-path.ts is the same path test).
 */
function isMalformed(request) {
  try {
    decodeURIComponent((request.url ?? "/").split("?")[0]);
    parseAndValidateFlightRouterState(request.headers["next-router-state-tree"]);
    return false;
  } catch {
    return true;
  }
}

function refuseMalformed(response) {
  const body = JSON.stringify({ error: { code: "invalid_request", message: "The request is not valid." } });
  response.writeHead(400, { "Content-Type": "application/json", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" });
  response.end(body);
}

// The configuration the build was made with, handed to Next as the standalone
// output's own server.js does: a standalone copy has no next.config.ts (nor
// the compiler to read one), and a checkout would otherwise warn that
// `output: "standalone"` wants that server.js. Without a build, Next says so itself.
const serverFiles = ".next/required-server-files.json";
if (existsSync(serverFiles)) {
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(JSON.parse(readFileSync(serverFiles, "utf8")).config);
}

const app = next({ dev: false, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

createServer((request, response) => {
  request.headers[PEER_IP_HEADER] = request.socket.remoteAddress ?? "";
  request.headers[PEER_PROOF_HEADER] = peerProof;
  if (isMalformed(request)) return refuseMalformed(response);
  void handle(request, response);
}).listen(port, hostname, () => {
  console.log(`Doorman listening on http://${hostname ?? "localhost"}:${port}`);
});
