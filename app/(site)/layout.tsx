import type { ReactNode } from "react";
import { TopBar } from "@/app/_components/top-bar";
import { getTokenUser } from "@/lib/auth/dal";

// The home page and the signed-in pages. The top bar shows who the access
// token names, with no database query: on the home page that is all it
// needs (docs/decisions/0013), and every protected page below asks the data
// access layer for a live session itself, sending an ended one to sign in.
export default async function SiteLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <TopBar user={await getTokenUser()} />
      {children}
    </>
  );
}
