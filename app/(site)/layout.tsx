import type { ReactNode } from "react";
import { TopBar } from "@/app/_components/top-bar";

// Public pages: the home page (and the development mailbox). They show nothing
// the access token does not already say, so their top bar asks no database
// (docs/decisions/0013). Pages that refuse an ended session live in (signed-in).
export default function SiteLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <TopBar identity="token" />
      {children}
    </>
  );
}
