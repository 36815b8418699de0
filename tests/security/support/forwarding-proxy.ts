import http from "node:http";

// A reverse proxy as nginx is usually configured in front of an app
// (`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`): whatever
// X-Forwarded-For the client sent, with the client's own address appended.
// Hops left of that last one are the client's to invent; the app must count
// by the last (docs/decisions/0008-client-ip.md).

export type ForwardingProxy = { url: string; close: () => Promise<void> };

export async function startForwardingProxy(port: number, target: string): Promise<ForwardingProxy> {
  const upstream = new URL(target);
  const server = http.createServer((request, response) => {
    const peer = (request.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
    const sent = request.headers["x-forwarded-for"];
    const forwarded = [...(Array.isArray(sent) ? sent : sent ? [sent] : []), peer].join(", ");
    const proxied = http.request(
      { host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: { ...request.headers, "x-forwarded-for": forwarded } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    proxied.on("error", () => {
      response.writeHead(502);
      response.end();
    });
    request.pipe(proxied);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
