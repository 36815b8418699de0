import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// A stand-in for Resend's HTTP API, so the real SDK (pointed here with
// RESEND_BASE_URL) sends without any request leaving the machine.
//
//   POST /emails                   what the SDK calls; Bearer key, JSON body, Idempotency-Key
//   GET  /__test/emails?to=ADDR    accepted messages for ADDR (all without ?to), oldest first
//   POST /__test/fail-next         {status, count?, name?, message?}: the next `count` sends fail
//                                  with Resend's error `name` (by default the one Resend gives
//                                  that status); status 0 drops the connection (a network failure)
//   POST /__test/reset             forget messages, idempotency keys and scripted failures

export type FakeEmail = {
  id: string;
  from: string;
  to: string[];
  subject: string;
  html: string | null;
  text: string | null;
  idempotencyKey: string | null;
  createdAt: string;
};

export type FakeResend = { url: string; close(): Promise<void> };

export type FakeResendOptions = {
  port?: number;
  /** The only key accepted; any `Bearer re_…` key when unset. */
  apiKey?: string;
};

type Answer = { status: number; body: unknown };
type Failure = { status: number; remaining: number; name: string; message: string };

export async function startFakeResend(options: FakeResendOptions = {}): Promise<FakeResend> {
  const emails: FakeEmail[] = [];
  // Resend answers a repeated Idempotency-Key with the first answer (for 24 hours).
  const answered = new Map<string, { body: string; answer: Answer }>();
  let failure: Failure | null = null;

  const sendEmail = (request: IncomingMessage, raw: string): Answer | "drop" => {
    const key = /^Bearer (\S+)$/.exec(request.headers.authorization ?? "")?.[1];
    if (!key) return error(401, "missing_api_key", "Missing API key in the authorization header.");
    if (options.apiKey ? key !== options.apiKey : !key.startsWith("re_")) {
      return error(403, "invalid_api_key", "API key is invalid.");
    }
    const idempotencyKey = header(request, "idempotency-key");
    const previous = idempotencyKey ? answered.get(idempotencyKey) : undefined;
    if (previous) {
      return previous.body === raw
        ? previous.answer
        : error(409, "invalid_idempotent_request", "Same idempotency key used with a different request payload.");
    }
    if (failure && failure.remaining > 0) {
      const { status, name, message } = failure;
      if (--failure.remaining === 0) failure = null;
      return status === 0 ? "drop" : error(status, name, message);
    }
    const body = parseJson(raw);
    const to = typeof body?.to === "string" ? [body.to] : Array.isArray(body?.to) ? body.to.filter(isString) : [];
    if (!body || !isString(body.from) || to.length === 0 || !isString(body.subject) || !(isString(body.html) || isString(body.text))) {
      return error(422, "validation_error", "`from`, `to`, `subject` and `html` or `text` are required.");
    }
    const email: FakeEmail = {
      id: randomUUID(),
      from: body.from,
      to,
      subject: body.subject,
      html: isString(body.html) ? body.html : null,
      text: isString(body.text) ? body.text : null,
      idempotencyKey: idempotencyKey ?? null,
      createdAt: new Date().toISOString(),
    };
    emails.push(email);
    const answer = { status: 200, body: { id: email.id } };
    if (idempotencyKey) answered.set(idempotencyKey, { body: raw, answer });
    return answer;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? "/", "http://fake-resend");
    const raw = await readBody(request);
    const route = `${request.method} ${url.pathname}`;

    if (route === "POST /emails") {
      const answer = sendEmail(request, raw);
      if (answer === "drop") return void request.socket.destroy();
      return reply(response, answer);
    }
    if (route === "GET /__test/emails") {
      const to = url.searchParams.get("to")?.toLowerCase();
      return reply(response, { status: 200, body: to ? emails.filter((e) => e.to.some((a) => a.toLowerCase() === to)) : emails });
    }
    if (route === "POST /__test/fail-next") {
      const body = parseJson(raw);
      const status = Number(body?.status);
      const count = body?.count === undefined ? 1 : Number(body.count);
      if (!Number.isInteger(status) || !Number.isInteger(count) || count < 1) {
        return reply(response, error(400, "validation_error", "Send {status, count?}: integers, count >= 1."));
      }
      failure = {
        status,
        remaining: count,
        name: isString(body?.name) ? body.name : defaultErrorName(status),
        message: isString(body?.message) ? body.message : "Scripted failure.",
      };
      return reply(response, { status: 200, body: { status, count } });
    }
    if (route === "POST /__test/reset") {
      emails.length = 0;
      answered.clear();
      failure = null;
      return reply(response, { status: 200, body: {} });
    }
    return reply(response, error(404, "not_found", `${route} is not part of the fake.`));
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((cause: unknown) => {
      reply(response, error(500, "application_error", cause instanceof Error ? cause.message : String(cause)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((cause) => (cause ? reject(cause) : resolve()));
        server.closeAllConnections();
      }),
  };
}

// https://resend.com/docs/api-reference/errors
function defaultErrorName(status: number): string {
  if (status === 401) return "missing_api_key";
  if (status === 403) return "invalid_api_key";
  return status >= 500 ? "application_error" : "validation_error";
}

// Resend's error shape: {statusCode, name, message}.
function error(status: number, name: string, message: string): Answer {
  return { status, body: { statusCode: status, name, message } };
}

function reply(response: ServerResponse, answer: Answer): void {
  response.writeHead(answer.status, { "Content-Type": "application/json" });
  response.end(JSON.stringify(answer.body));
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function parseJson(raw: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}
