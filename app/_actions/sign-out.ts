"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getCurrentSession } from "@/lib/auth/dal";
import { logOut } from "@/lib/auth/sessions/logout";
import { clearSessionCookies, readRefreshCookie } from "@/lib/auth/sessions/session-cookies";
import { attemptFormAction } from "@/lib/forms/form-action";
import type { FormState } from "@/lib/forms/form-state";

export async function signOutAction(_previous: FormState<never>, _formData: FormData): Promise<FormState<never>> {
  const failed = await attemptFormAction({}, async (meta) => {
    const jar = await cookies();
    const session = await getCurrentSession();
    // The refresh cookie finds the session even when the access JWT has
    // expired; the JWT's sid covers a browser that lost its refresh cookie.
    await logOut(
      { refreshToken: readRefreshCookie(jar), sessionId: session.status === "authenticated" ? session.claims.sid : null },
      meta,
    );
    // Only after the server-side revoke: if it failed, the cookies stay so that "Sign out" can be retried.
    clearSessionCookies(jar);
  });
  if (failed) return failed;
  redirect("/login");
}
