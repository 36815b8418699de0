import { ERRORS } from "@/lib/errors";

/** What a signed-in page shows in place of its content while the database cannot be reached. */
export function UnavailableNotice({ retryHref }: { retryHref: string }) {
  return (
    <p role="alert" className="mt-8 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      {ERRORS.unavailable.message} You are still signed in.{" "}
      <a href={retryHref} className="font-medium underline underline-offset-4">
        Try again
      </a>
    </p>
  );
}
