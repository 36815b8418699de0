import { randomBytes } from "node:crypto";
import Provider, { interactionPolicy, type ClientMetadata, type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import type { Middleware } from "koa";
import { createOidcAccountBook, type OidcAccount, type OidcAccountBook, type OidcAccountInput, OidcAccountInputSchema } from "./accounts";
import { listenOnLoopback, parseJson, readBody } from "./http";
import { interactionPages } from "./interactions";
import { generateSigningKey, type SigningAlg, type SigningKey } from "./signing-key";

// A real, certified OpenID Provider (oidc-provider) on 127.0.0.1 for the app's
// single sign-on tests: discovery, JWKS, authorization code with PKCE S256
// (required of every client), ID tokens carrying sub, email, email_verified
// and name. Plain http: the app accepts http issuers only on loopback.
//
//   GET  /.well-known/openid-configuration, /jwks, /auth, /token, /me   oidc-provider
//   GET  /interaction/:uid          the sign-in page (Login field, "Sign in", "Cancel")
//   POST /__test/accounts           {login, sub?, email?, email_verified?, name?}: register an account
//   GET  /__test/ready              200 once listening (Playwright's readiness URL)

export type TestClient = {
  clientId: string;
  /** With a secret: client_secret_basic or client_secret_post. Without: a public client ("none"). */
  clientSecret?: string;
  redirectUris: string[];
};

export type StartProviderOptions = {
  /** 0 picks a free port. */
  port?: number;
  clients: TestClient[];
  /** RS256 (the OIDC default and what Google and Entra use) unless told otherwise. */
  signingAlg?: SigningAlg;
};

export type TestProvider = {
  /** The issuer identifier, `http://127.0.0.1:<port>`, also the base URL. */
  issuer: string;
  url: string;
  addAccount(input: OidcAccountInput): OidcAccount;
  close(): Promise<void>;
};

/** What the broken provider builds on: the same provider, its key and a hook for middleware. */
export type LaunchedProvider = TestProvider & { provider: Provider; signingKey: SigningKey };

export async function startTestProvider(options: StartProviderOptions): Promise<TestProvider> {
  const { issuer, url, addAccount, close } = await launchTestProvider(options);
  return { issuer, url, addAccount, close };
}

export async function launchTestProvider(options: StartProviderOptions, extra: Middleware[] = []): Promise<LaunchedProvider> {
  const listening = await listenOnLoopback(options.port ?? 0);
  const issuer = `http://127.0.0.1:${listening.port}`;
  const signingKey = await generateSigningKey(options.signingAlg ?? "RS256");
  const accounts = createOidcAccountBook();

  const provider = new Provider(issuer, configuration(options, signingKey, accounts));
  provider.use(testRoutes(accounts));
  provider.use(interactionPages(provider, accounts));
  for (const middleware of extra) provider.use(middleware);
  listening.handle(provider.callback());

  return { issuer, url: issuer, provider, signingKey, addAccount: (input) => accounts.add(input), close: listening.close };
}

function configuration(options: StartProviderOptions, key: SigningKey, accounts: OidcAccountBook): Configuration {
  return {
    clients: options.clients.map((client) => toClientMetadata(client, key.alg)),
    jwks: { keys: [key.privateJwk] },
    // Signed cookies; a fresh secret per run is enough for a test server.
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    scopes: ["openid", "email", "profile"],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // oidc-provider's default (conform) puts scope claims only in /me when an
    // access token is issued; Google and Entra put email in the ID token too,
    // and that is what the app reads.
    conformIdTokenClaims: false,
    // Its default requires PKCE only of public clients; the app always sends it.
    pkce: { required: () => true },
    responseTypes: ["code"],
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}`, policy: loginEveryTime() },
    loadExistingGrant: grantRequestedScopes,
    findAccount: (_ctx, sub) => {
      const account = accounts.bySub(sub);
      return account && { accountId: sub, claims: () => claimsOf(account) };
    },
    // Numbers, not oidc-provider's default functions, which print a notice on first use.
    ttl: { AuthorizationCode: 60, AccessToken: 3600, IdToken: 3600, Interaction: 600, Session: 3600, Grant: 3600 },
  };
}

function toClientMetadata(client: TestClient, alg: SigningAlg): ClientMetadata {
  return {
    client_id: client.clientId,
    ...(client.clientSecret
      ? { client_secret: client.clientSecret, token_endpoint_auth_method: "client_secret_basic" }
      : { token_endpoint_auth_method: "none" }),
    redirect_uris: client.redirectUris,
    grant_types: ["authorization_code"],
    response_types: ["code"],
    id_token_signed_response_alg: alg,
  };
}

function claimsOf(account: OidcAccount) {
  const { sub, email, email_verified, name } = account;
  return { sub, ...(email === undefined ? {} : { email, email_verified }), ...(name === undefined ? {} : { name }) };
}

/**
 * The login page on every authorization request, even with a provider session:
 * a test picks its account by the name it types, whatever an earlier test in
 * the same browser did. (A real IdP would sign the user straight back in.)
 */
function loginEveryTime() {
  const policy = interactionPolicy.base();
  policy.get("login")?.checks.add(
    new interactionPolicy.Check("stand_in_login", "the stand-in asks who signs in every time", "login_required", (ctx) => !ctx.oidc.result?.login),
  );
  return policy;
}

/** Consent without a page: a grant for openid, email and profile, made per request. */
async function grantRequestedScopes(ctx: KoaContextWithOIDC) {
  const grantId = ctx.oidc.result?.consent?.grantId;
  if (grantId) return ctx.oidc.provider.Grant.find(grantId);
  const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
  grant.addOIDCScope("openid email profile");
  await grant.save();
  return grant;
}

function testRoutes(accounts: OidcAccountBook): Middleware {
  return async (ctx, next) => {
    if (ctx.method === "GET" && ctx.path === "/__test/ready") {
      ctx.body = { ready: true };
      return;
    }
    if (ctx.method === "POST" && ctx.path === "/__test/accounts") {
      const parsed = OidcAccountInputSchema.safeParse(parseJson(await readBody(ctx.req)));
      if (!parsed.success) {
        ctx.status = 400;
        ctx.body = { error: "invalid_account", message: parsed.error.message };
        return;
      }
      ctx.body = accounts.add(parsed.data);
      return;
    }
    return next();
  };
}
