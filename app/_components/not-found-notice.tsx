import Link from "next/link";
import { AuthCard, textLinkClass } from "@/app/_components/auth-card";

/** The body of every 404; each not-found.tsx puts it under the top bar its place already has. */
export function NotFoundNotice() {
  return (
    <main className="flex flex-1 items-start justify-center px-4 py-12 sm:items-center sm:py-16">
      <AuthCard title="Page not found" description="This page could not be found. Check the address, or start again from the home page.">
        <Link href="/" className={textLinkClass}>
          Go to the home page
        </Link>
      </AuthCard>
    </main>
  );
}
