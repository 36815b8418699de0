import { NextResponse, type NextRequest } from "next/server";
import { configuredProvider } from "@/lib/auth/sso/configured-providers";
import { setSsoFlowCookie } from "@/lib/auth/sso/flow-cookie";
import { beginProviderFlow } from "@/lib/auth/sso/provider-flow";
import { SsoError } from "@/lib/auth/sso/sso-error";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/respond";
import { safeNextPath } from "@/lib/http/safe-redirect";
import { loginErrorUrl } from "@/lib/auth/sso/login-error-url";

type Context = { params: Promise<{ id: string }> };

/**
 * Sign in with a provider: a plain link from /login. Linking one to a
 * signed-in account starts from /account's form instead (a server action,
 * same-site only), so no other site can make a browser link an account.
 */
export const GET = route(async (request: NextRequest, { params }: Context) => {
  const provider = configuredProvider((await params).id);
  if (!provider) throw new AppError("notFound");
  const next = safeNextPath(request.nextUrl.searchParams.get("next"));
  try {
    const { url, flow } = await beginProviderFlow(provider, { next, link: null });
    const response = NextResponse.redirect(url, { status: 303, headers: { "Cache-Control": "no-store" } });
    setSsoFlowCookie(response.cookies, flow);
    return response;
  } catch (error) {
    if (!(error instanceof SsoError)) throw error;
    return NextResponse.redirect(loginErrorUrl(error.code, next), 303);
  }
});
