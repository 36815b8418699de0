import type Provider from "oidc-provider";
import type { InteractionResults } from "oidc-provider";
import type { Middleware } from "koa";
import type { OidcAccountBook } from "./accounts";
import { parseFields, readBody } from "./http";
import { renderLoginPage } from "./login-page";

// The provider's own pages: oidc-provider leaves sign-in to the host
// (its devInteractions are a debugging aid that warns on every start). One
// page: a Login field, "Sign in" and "Cancel". Consent is granted without a
// page (see `grantRequestedScopes` in provider.ts), as a first-party IdP would.

const PATH = /^\/interaction\/([A-Za-z0-9_-]+)$/;

export function interactionPages(provider: Provider, accounts: OidcAccountBook): Middleware {
  return async (ctx, next) => {
    const uid = PATH.exec(ctx.path)?.[1];
    if (!uid || (ctx.method !== "GET" && ctx.method !== "POST")) return next();

    let details;
    try {
      details = await provider.interactionDetails(ctx.req, ctx.res);
    } catch (error) {
      // No interaction cookie, or it expired: a page the user can read, not a 500.
      ctx.status = 400;
      ctx.type = "text";
      ctx.body = `This sign-in has expired or was never started here (${(error as Error).message}). Start again from the app.`;
      return;
    }
    if (details.uid !== uid || details.prompt.name !== "login") {
      ctx.status = 400;
      ctx.type = "text";
      ctx.body = `Unexpected interaction: ${details.prompt.name} for ${details.uid}.`;
      return;
    }

    if (ctx.method === "GET") {
      ctx.type = "html";
      ctx.body = renderLoginPage({
        title: "Sign in to the test provider",
        action: `/interaction/${uid}`,
        allowLabel: "Sign in",
        loginHint: typeof details.params.login_hint === "string" ? details.params.login_hint : undefined,
      });
      return;
    }

    const fields = parseFields(await readBody(ctx.req), ctx.get("content-type"));
    let result: InteractionResults;
    if (fields.decision === "deny") {
      // Ends at the client's redirect_uri with error=access_denied and its state.
      result = { error: "access_denied", error_description: "End-User aborted interaction" };
    } else {
      const login = fields.login?.trim();
      if (!login) {
        ctx.status = 400;
        ctx.type = "text";
        ctx.body = "Type a login.";
        return;
      }
      result = { login: { accountId: accounts.forLogin(login).sub } };
    }
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    ctx.status = 303;
    ctx.redirect(returnTo);
  };
}
