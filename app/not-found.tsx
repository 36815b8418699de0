import type { Metadata } from "next";
import { NotFoundNotice } from "@/app/_components/not-found-notice";
import { TopBar } from "@/app/_components/top-bar";

export const metadata: Metadata = { title: "Page not found" };

/**
 * Unknown addresses. It replaces Next's built-in page, whose inline <style>
 * the Content-Security-Policy refuses (docs/decisions/0007), so a browser
 * reported a violation on every 404. It renders under the root layout alone,
 * so it brings its own top bar; a page inside a route group that calls
 * notFound() gets its group's not-found.tsx, under the group's top bar.
 */
export default function NotFound() {
  return (
    <>
      <TopBar identity="live" />
      <NotFoundNotice />
    </>
  );
}
