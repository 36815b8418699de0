import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createGitHubAccountBook, GitHubAccountInputSchema, publicEmail, type GitHubAccount, type GitHubAccountInput } from "./github-accounts";
import { listenOnLoopback, parseFields, parseJson, readBody } from "./http";
import { renderLoginPage } from "./login-page";
import type { TestClient } from "./provider";

// A stand-in for GitHub's OAuth app web flow (docs.github.com, "Authorizing
// OAuth apps") and the two REST endpoints a sign-in needs. GitHub is OAuth 2.0,
// not OpenID Connect: no discovery, no ID token; the app reads the user from the
// API. Web and API share one port; the API sits under /api, as GitHub
// Enterprise Server serves it under /api/v3 of its own host.
//
//   GET  /login/oauth/authorize      client_id, redirect_uri?, scope, state, code_challenge + S256
//                                    the page: Login field, "Authorize", "Cancel" (error=access_denied)
//   POST /login/oauth/access_token   client_id, client_secret (or Basic), code, redirect_uri?, code_verifier
//                                    JSON with Accept: application/json, else form-encoded; errors
//                                    are HTTP 200 with {error, error_description, error_uri}, as GitHub's
//   GET  /api/user                   Authorization: Bearer (or token) → {id, login, name, email (public or null), …}
//   GET  /api/user/emails            needs scope user:email or user → [{email, primary, verified, visibility}]
//   POST /__test/accounts            {login, id?, name?, emails?: [{email, verified?, primary?, visibility?}]}
//   GET  /__test/ready

export type GitHubStandIn = {
  /** Stands for https://github.com. */
  webUrl: string;
  /** Stands for https://api.github.com: `${webUrl}/api`. */
  apiUrl: string;
  addAccount(input: GitHubAccountInput): GitHubAccount;
  close(): Promise<void>;
};

type Pending = { client: TestClient; redirectUri: string; scope: string[]; state: string | null; codeChallenge: string | null };
type Grant = Pending & { login: string; expiresAt: number };

const DOCS = "https://docs.github.com/apps/managing-oauth-apps";
const CODE_LIFETIME_MS = 10 * 60 * 1000; // GitHub: "The temporary code will expire after 10 minutes."

export async function startGitHubStandIn(options: { port?: number; clients: TestClient[] }): Promise<GitHubStandIn> {
  const listening = await listenOnLoopback(options.port ?? 0);
  const webUrl = `http://127.0.0.1:${listening.port}`;
  const accounts = createGitHubAccountBook();
  const pending = new Map<string, Pending>();
  const codes = new Map<string, Grant>();
  const tokens = new Map<string, { login: string; scope: string[] }>();
  const clientById = (id: string | undefined) => options.clients.find((c) => c.clientId === id);

  const authorize = (url: URL, response: ServerResponse) => {
    const client = clientById(url.searchParams.get("client_id") ?? undefined);
    if (!client) return text(response, 404, "Not Found: no OAuth app has this client_id.");
    const state = url.searchParams.get("state");
    const asked = url.searchParams.get("redirect_uri");
    const redirectUri = asked ?? client.redirectUris[0]!;
    if (asked && !client.redirectUris.some((registered) => redirectMatches(asked, registered))) {
      return redirectWithError(response, client.redirectUris[0]!, state, "redirect_uri_mismatch", "The redirect_uri MUST match the registered callback URL for this application.", "troubleshooting-authorization-request-errors/#redirect-uri-mismatch");
    }
    const codeChallenge = url.searchParams.get("code_challenge");
    const method = url.searchParams.get("code_challenge_method");
    // GitHub takes S256 only, and the method with the challenge.
    if ((codeChallenge || method) && (method !== "S256" || !codeChallenge || !/^[A-Za-z0-9_-]{43}$/.test(codeChallenge))) {
      return redirectWithError(response, redirectUri, state, "invalid_request", "code_challenge must be 43 characters with code_challenge_method S256.", "troubleshooting-authorization-request-errors");
    }
    const requestId = randomBytes(16).toString("base64url");
    const scope = (url.searchParams.get("scope") ?? "").split(/[\s,]+/).filter(Boolean);
    pending.set(requestId, { client, redirectUri, scope, state, codeChallenge });
    html(response, renderLoginPage({
      title: `Authorize ${client.clientId}`,
      action: "/login/oauth/authorize",
      hidden: { request: requestId },
      allowLabel: "Authorize",
      loginHint: url.searchParams.get("login") ?? undefined,
    }));
  };

  const decide = (fields: Record<string, string>, response: ServerResponse) => {
    const request = pending.get(fields.request ?? "");
    if (!request) return text(response, 400, "This authorization request is unknown or already answered.");
    pending.delete(fields.request!);
    if (fields.decision === "deny") {
      return redirectWithError(response, request.redirectUri, request.state, "access_denied", "The user has denied your application access.", "troubleshooting-authorization-request-errors/#access-denied");
    }
    const login = fields.login?.trim();
    if (!login) return text(response, 400, "Type a login.");
    const code = randomBytes(10).toString("hex"); // GitHub's codes are 20 hex characters.
    codes.set(code, { ...request, login: accounts.forLogin(login).login, expiresAt: Date.now() + CODE_LIFETIME_MS });
    const target = new URL(request.redirectUri);
    target.searchParams.set("code", code);
    if (request.state !== null) target.searchParams.set("state", request.state);
    redirect(response, target.href);
  };

  const exchange = (request: IncomingMessage, fields: Record<string, string>): Record<string, string> => {
    const basic = basicCredentials(request.headers.authorization);
    const client = clientById(fields.client_id ?? basic?.id);
    const secret = fields.client_secret ?? basic?.secret;
    if (!client || !client.clientSecret || !secret || !sameText(secret, client.clientSecret)) {
      return oauthError("incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect.", "#incorrect-client-credentials");
    }
    const grant = codes.get(fields.code ?? "");
    if (fields.redirect_uri !== undefined && grant && fields.redirect_uri !== grant.redirectUri) {
      return oauthError("redirect_uri_mismatch", "The redirect_uri MUST match the registered callback URL for this application.", "#redirect-uri-mismatch2");
    }
    const pkceHolds = !grant?.codeChallenge || (fields.code_verifier !== undefined && s256(fields.code_verifier) === grant.codeChallenge);
    if (!grant || grant.client !== client || grant.expiresAt < Date.now() || !pkceHolds) {
      return oauthError("bad_verification_code", "The code passed is incorrect or expired.", "#bad-verification-code");
    }
    codes.delete(fields.code!);
    const accessToken = `gho_${randomBytes(27).toString("base64url")}`;
    tokens.set(accessToken, { login: grant.login, scope: grant.scope });
    return { access_token: accessToken, token_type: "bearer", scope: grant.scope.join(",") };
  };

  const api = (request: IncomingMessage, path: string, response: ServerResponse) => {
    const match = /^(?:Bearer|token) (\S+)$/i.exec(request.headers.authorization ?? "");
    if (!match) return json(response, 401, { message: "Requires authentication", documentation_url: "https://docs.github.com/rest", status: "401" });
    const token = tokens.get(match[1]!);
    if (!token) return json(response, 401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" });
    response.setHeader("x-oauth-scopes", token.scope.join(", "));
    const account = accounts.forLogin(token.login);
    if (path === "/user") return json(response, 200, toUser(account, webUrl));
    // Without user:email (or user) the addresses stay hidden.
    if (!token.scope.includes("user:email") && !token.scope.includes("user")) {
      return json(response, 404, { message: "Not Found", documentation_url: "https://docs.github.com/rest/users/emails", status: "404" });
    }
    json(response, 200, account.emails);
  };

  listening.handle(async (request, response) => {
    try {
      const url = new URL(request.url ?? "/", webUrl);
      const route = `${request.method} ${url.pathname}`;
      if (route === "GET /login/oauth/authorize") return authorize(url, response);
      if (route === "GET /api/user" || route === "GET /api/user/emails") return api(request, url.pathname.slice("/api".length), response);
      if (route === "GET /__test/ready") return json(response, 200, { ready: true });
      if (request.method !== "POST") return json(response, 404, { message: "Not Found" });

      const raw = await readBody(request);
      if (route === "POST /login/oauth/authorize") return decide(parseFields(raw, request.headers["content-type"]), response);
      if (route === "POST /login/oauth/access_token") {
        // GitHub reads the parameters from the query string or the body.
        const fields = { ...Object.fromEntries(url.searchParams), ...parseFields(raw, request.headers["content-type"]) };
        const answer = exchange(request, fields);
        const wantsJson = request.headers.accept?.includes("application/json");
        if (wantsJson) return json(response, 200, answer);
        response.setHeader("content-type", "application/x-www-form-urlencoded; charset=utf-8");
        return void response.end(new URLSearchParams(answer).toString());
      }
      if (route === "POST /__test/accounts") {
        const parsed = GitHubAccountInputSchema.safeParse(parseJson(raw));
        if (!parsed.success) return json(response, 400, { error: "invalid_account", message: parsed.error.message });
        return json(response, 200, accounts.add(parsed.data));
      }
      json(response, 404, { message: "Not Found" });
    } catch (error) {
      json(response, 500, { message: (error as Error).message });
    }
  });

  return { webUrl, apiUrl: `${webUrl}/api`, addAccount: (input) => accounts.add(input), close: listening.close };
}

/** GitHub: same host and port as the callback URL, and a path at or below its path. */
function redirectMatches(asked: string, registered: string): boolean {
  const a = URL.parse(asked);
  const r = URL.parse(registered);
  if (!a || !r || a.origin !== r.origin || a.search || a.hash) return false;
  const base = r.pathname.endsWith("/") ? r.pathname : `${r.pathname}/`;
  return a.pathname === r.pathname || a.pathname.startsWith(base);
}

function toUser(account: GitHubAccount, webUrl: string) {
  return {
    login: account.login,
    id: account.id,
    node_id: Buffer.from(`04:User${account.id}`).toString("base64"),
    avatar_url: `${webUrl}/avatars/${account.id}`,
    html_url: `${webUrl}/${encodeURIComponent(account.login)}`,
    type: "User",
    site_admin: false,
    name: account.name,
    email: publicEmail(account),
  };
}

function oauthError(error: string, description: string, anchor: string): Record<string, string> {
  return { error, error_description: description, error_uri: `${DOCS}/troubleshooting-oauth-app-access-token-request-errors/${anchor}` };
}

function redirectWithError(response: ServerResponse, redirectUri: string, state: string | null, error: string, description: string, page: string): void {
  const target = new URL(redirectUri);
  target.searchParams.set("error", error);
  target.searchParams.set("error_description", description);
  target.searchParams.set("error_uri", `${DOCS}/${page}`);
  if (state !== null) target.searchParams.set("state", state);
  redirect(response, target.href);
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const encoded = /^Basic (\S+)$/i.exec(header ?? "")?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1: both halves are form-urlencoded inside the Basic header.
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

function s256(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function redirect(response: ServerResponse, location: string): void {
  response.statusCode = 302;
  response.setHeader("location", location);
  response.end();
}

function html(response: ServerResponse, body: string): void {
  response.setHeader("content-type", "text/html; charset=utf-8");
  response.end(body);
}

function text(response: ServerResponse, status: number, body: string): void {
  response.statusCode = status;
  response.setHeader("content-type", "text/plain; charset=utf-8");
  response.end(body);
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.statusCode = status;
  response.setHeader("content-type", "application/json; charset=utf-8");
  response.end(JSON.stringify(body));
}
