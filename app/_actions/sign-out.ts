"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getCurrentSession } from "@/lib/auth/dal";
import { logOut } from "@/lib/auth/logout";
import { clearSessionCookies, readRefreshCookie } from "@/lib/auth/session-cookies";
import { formFailure } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";
import { clientMeta } from "@/lib/http/client-meta";
import { assertSameSite } from "@/lib/http/same-site";

export async function signOutAction(_previous: FormState<never>, _formData: FormData): Promise<FormState<never>> {
  try {
    const requestHeaders = await headers();
    assertSameSite(requestHeaders);
    const jar = await cookies();
    const session = await getCurrentSession();
    // The refresh cookie finds the session even when the access JWT has
    // expired; the JWT's sid covers a browser that lost its refresh cookie.
    await logOut(
      { refreshToken: await readRefreshCookie(jar), sessionId: session.status === "authenticated" ? session.claims.sid : null },
      await clientMeta(requestHeaders),
    );
    // Only after the server-side revoke: if it failed, the cookies stay so that "Sign out" can be retried.
    clearSessionCookies(jar);
  } catch (error) {
    return formFailure(error, {});
  }
  redirect("/login");
}
