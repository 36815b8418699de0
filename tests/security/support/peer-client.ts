import http from "node:http";

// A client at a loopback address of its choosing (all of 127.0.0.0/8 is this
// machine): the server, or the proxy in front of it, sees that address as the
// TCP peer. Two such clients are two machines as far as per-IP limits go.

export type PeerResponse = { status: number; headers: http.IncomingHttpHeaders; body: string };

export function requestFrom(
  localAddress: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; json?: unknown; form?: Record<string, string> } = {},
): Promise<PeerResponse> {
  const body = init.form ? new URLSearchParams(init.form).toString() : init.json === undefined ? undefined : JSON.stringify(init.json);
  const contentType = init.form ? "application/x-www-form-urlencoded" : "application/json";
  const headers = { ...(body !== undefined ? { "content-type": contentType } : {}), ...init.headers };
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: init.method ?? (body !== undefined ? "POST" : "GET"), headers, localAddress }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    request.on("error", reject);
    request.end(body);
  });
}
