import type { Middleware } from "koa";
import { z } from "zod";
import { parseJson, readBody } from "./http";
import { applyFault, BROKEN_MODES, generateFaultKeys, type BrokenMode, type FaultKeys } from "./id-token-faults";
import { launchTestProvider, type StartProviderOptions, type TestProvider } from "./provider";

// The test provider with one deliberate fault in the ID token its token
// endpoint returns. Discovery, JWKS, the sign-in page, code issuance and the
// PKCE check stay the real oidc-provider, so the app's refusal can only come
// from the ID token check under test.
//
//   POST /__test/mode   {mode}: one of BROKEN_MODES ("ok" passes the real token through)
//   (and everything startTestProvider serves)

export { BROKEN_MODES, type BrokenMode };

export type BrokenProvider = TestProvider & { setMode(mode: BrokenMode): void };

const ModeSchema = z.strictObject({ mode: z.enum(BROKEN_MODES) });

export async function startBrokenProvider(options: StartProviderOptions & { mode?: BrokenMode }): Promise<BrokenProvider> {
  let mode: BrokenMode = options.mode ?? "ok";
  // The middleware needs the provider's key and routes, which exist only once it is launched.
  let keys: FaultKeys | undefined;
  let tokenPath = "";

  const faults: Middleware = async (ctx, next) => {
    if (ctx.method === "POST" && ctx.path === "/__test/mode") {
      const parsed = ModeSchema.safeParse(parseJson(await readBody(ctx.req)));
      if (!parsed.success) {
        ctx.status = 400;
        ctx.body = { error: "invalid_mode", message: `Send {mode}: one of ${BROKEN_MODES.join(", ")}.` };
        return;
      }
      mode = parsed.data.mode;
      ctx.body = { mode };
      return;
    }
    await next();
    // oidc-provider leaves the token response as an object for Koa to serialise.
    const body = ctx.body as { id_token?: unknown } | undefined;
    if (ctx.path === tokenPath && ctx.status === 200 && keys && typeof body?.id_token === "string") {
      ctx.body = { ...body, id_token: await applyFault(body.id_token, mode, keys) };
    }
  };

  const launched = await launchTestProvider(options, [faults]);
  tokenPath = launched.provider.pathFor("token");
  keys = await generateFaultKeys(launched.signingKey);

  const { issuer, url, addAccount, close } = launched;
  return {
    issuer,
    url,
    addAccount,
    close,
    setMode(next) {
      mode = ModeSchema.parse({ mode: next }).mode;
    },
  };
}
