import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";

// A TLS-terminating reverse proxy in front of a plain-http app, doing what the
// README's nginx block does: HTTPS outside, HTTP to the app, the Host header
// as the browser sent it, X-Forwarded-Proto/-Host set and the client's
// address appended to X-Forwarded-For ($proxy_add_x_forwarded_for).

/** RFC 9110 §7.6.1: these describe one connection and are never forwarded. */
const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"];

export type TlsProxy = {
  origin: string;
  /** Every request forwarded so far, as "METHOD /path?query". */
  forwarded: string[];
  /**
   * The address appended to X-Forwarded-For, as if the browser connected from
   * there. Unset: the TCP peer, as nginx does (always a loopback address in a test).
   */
  clientAddress: string | undefined;
  close: () => Promise<void>;
};

/** A key and a certificate for `localhost`, valid one day, made with the system's openssl (Node cannot issue certificates). */
export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "doorman-tls-"));
  try {
    const [key, cert] = [path.join(dir, "key.pem"), path.join(dir, "cert.pem")];
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"]
        .concat(["-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", cert]),
      { stdio: "pipe" },
    );
    return { key: readFileSync(key, "utf8"), cert: readFileSync(cert, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function withoutHopByHop(headers: http.IncomingHttpHeaders | http.OutgoingHttpHeaders): http.OutgoingHttpHeaders {
  const kept = { ...headers };
  for (const name of HOP_BY_HOP) delete kept[name];
  return kept;
}

/** Listens on 127.0.0.1:`port` over HTTPS and forwards everything to `target` (an http origin). */
export async function startTlsProxy(port: number, target: string): Promise<TlsProxy> {
  const upstream = new URL(target);
  const proxy: TlsProxy = { origin: `https://localhost:${port}`, forwarded: [], clientAddress: undefined, close: async () => {} };
  const server = https.createServer(selfSignedCertificate(), (request, response) => {
    proxy.forwarded.push(`${request.method} ${request.url}`);
    const client = proxy.clientAddress ?? request.socket.remoteAddress ?? "";
    const claimed = request.headers["x-forwarded-for"];
    const headers = withoutHopByHop(request.headers);
    headers["x-forwarded-for"] = claimed ? `${claimed}, ${client}` : client;
    headers["x-forwarded-proto"] = "https";
    headers["x-forwarded-host"] = request.headers.host;
    const onward = http.request(
      { host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
        answer.pipe(response);
      },
    );
    onward.on("error", () => {
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
    request.pipe(onward);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
