import http from "node:http";

// A client at a loopback address of its choosing (all of 127.0.0.0/8 is this
// machine): the server, or the proxy in front of it, sees that address as the
// TCP peer. Two such clients are two machines as far as per-IP limits go.

export type PeerResponse = { status: number; headers: http.IncomingHttpHeaders; body: string };

export function requestFrom(
  localAddress: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; json?: unknown } = {},
): Promise<PeerResponse> {
  const body = init.json === undefined ? undefined : JSON.stringify(init.json);
  const headers = { ...(body ? { "content-type": "application/json" } : {}), ...init.headers };
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: init.method ?? (body ? "POST" : "GET"), headers, localAddress }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    request.on("error", reject);
    request.end(body);
  });
}
