import type { Metadata } from "next";
import { connection } from "next/server";
import { NotFoundNotice } from "@/app/_components/not-found-notice";
import { TopBar } from "@/app/_components/top-bar";

export const metadata: Metadata = { title: "Page not found" };

/**
 * Unknown addresses. It replaces Next's built-in page, whose inline <style>
 * the Content-Security-Policy refuses (docs/decisions/0007), so a browser
 * reported a violation on every 404. It renders under the root layout alone,
 * so it brings its own top bar; a page inside a route group that calls
 * notFound() gets its group's not-found.tsx, under the group's top bar.
 *
 * Its bar names no one. React renders this page into every page's payload,
 * shown or not (the fallback of the root not-found boundary): a live read
 * here cost every signed-in view of a public page a query, and the token's
 * word would put the name of an ended session into pages that refuse it.
 */
export default async function NotFound() {
  // Rendered per request like every page, for the CSP nonce (docs/decisions/0007):
  // with no session to read, nothing else here would keep it from being made static.
  await connection();
  return (
    <>
      <TopBar identity="none" />
      <NotFoundNotice />
    </>
  );
}
