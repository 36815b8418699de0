import Link from "next/link";
import type { ReactNode } from "react";
import { AuthCard, textLinkClass } from "@/app/_components/auth-card";

/** The answer after a form that sends an email: what to look for, and what to do when nothing arrives. */
export function CheckYourEmail({
  description,
  retryHref,
  devMailbox,
  footer,
}: {
  description: ReactNode;
  /** The form again, empty. */
  retryHref: string;
  devMailbox: boolean;
  footer: ReactNode;
}) {
  return (
    <AuthCard title="Check your email" description={description} footer={footer}>
      <p className="text-sm text-zinc-600">
        Nothing there? Check your spam folder, or{" "}
        {/* A full page load, so the form starts empty rather than keeping this answer. */}
        <a href={retryHref} className={textLinkClass}>
          try another address
        </a>
        .
      </p>
      {devMailbox ? (
        <p className="mt-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2.5 text-sm text-amber-900">
          Development server: no email is sent. Open the{" "}
          <Link href="/dev/mailbox" className="font-medium underline underline-offset-4">
            development mailbox
          </Link>{" "}
          to read it.
        </p>
      ) : null}
    </AuthCard>
  );
}
