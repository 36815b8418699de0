import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard, textLinkClass } from "@/app/_components/auth-card";
import { TopBar } from "@/app/_components/top-bar";
import { getTokenUser } from "@/lib/auth/dal";

export const metadata: Metadata = { title: "Page not found" };

/**
 * Every 404: unknown addresses, /dev/mailbox in production, and /admin for
 * anyone who is not an admin (the console is not advertised). It replaces
 * Next's built-in page, whose inline <style> the Content-Security-Policy
 * refuses (docs/decisions/0007), so a browser reported a violation on every 404.
 */
export default async function NotFound() {
  // Rendered under the root layout alone, outside the route groups' layouts.
  return (
    <>
      <TopBar user={await getTokenUser()} />
      <main className="flex flex-1 items-start justify-center px-4 py-12 sm:items-center sm:py-16">
        <AuthCard title="Page not found" description="This page could not be found. Check the address, or start again from the home page.">
          <Link href="/" className={textLinkClass}>
            Go to the home page
          </Link>
        </AuthCard>
      </main>
    </>
  );
}
