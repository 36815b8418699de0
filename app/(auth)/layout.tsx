import type { ReactNode } from "react";
import { TopBar } from "@/app/_components/top-bar";
import { getCurrentSession } from "@/lib/auth/dal";

// Sign-in, sign-up and the email-link pages. Their top bar asks for a live
// session, the same question requireAnonymous asks (one query per render,
// React's cache): a device whose session was ended elsewhere lands here and
// must not see itself as signed in above the sign-in form.
export default async function AuthLayout({ children }: { children: ReactNode }) {
  const session = await getCurrentSession();
  return (
    <>
      <TopBar user={session.status === "authenticated" ? session.claims : null} />
      <main className="flex flex-1 items-start justify-center px-4 py-12 sm:items-center sm:py-16">{children}</main>
    </>
  );
}
