import type { ReactNode } from "react";
import { TopBar } from "@/app/_components/top-bar";

// Sign-in, sign-up and the email-link pages. The top bar reads the same live
// session requireAnonymous asks for, so a device whose session was ended
// elsewhere, sent here to sign in, does not see itself as signed in.
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <TopBar identity="live" />
      <main className="flex flex-1 items-start justify-center px-4 py-12 sm:items-center sm:py-16">{children}</main>
    </>
  );
}
