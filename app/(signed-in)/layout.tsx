import type { ReactNode } from "react";
import { TopBar } from "@/app/_components/top-bar";

// Dashboard, account, admin: each page asks requireUser for a live session;
// the top bar reads the same cached answer, so it costs no second query.
export default function SignedInLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <TopBar identity="live" />
      {children}
    </>
  );
}
