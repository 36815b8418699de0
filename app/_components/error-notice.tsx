import { AuthCard, textLinkClass } from "@/app/_components/auth-card";
import { buttonClass } from "@/app/_components/button-styles";

/**
 * The body of every error page (app/error.tsx, app/global-error.tsx). Next
 * hides a server error's message in production and hands the page its
 * `digest`: the reference shown here is that digest, which the server's
 * `request_failed` log line carries beside the request id (docs/decisions/0032).
 */
export function ErrorNotice({ digest, retry }: { digest: string | undefined; retry: () => void }) {
  return (
    <main className="flex flex-1 items-start justify-center px-4 py-12 sm:items-center sm:py-16">
      <AuthCard
        title="Something went wrong"
        description={
          <>
            <p>We could not show this page. Try again; if it keeps happening, tell us what you were doing and when.</p>
            {digest ? (
              <p className="mt-2">
                Reference: <code className="font-mono text-zinc-900">{digest}</code>
              </p>
            ) : null}
          </>
        }
      >
        <div className="flex flex-wrap items-center gap-4">
          <button type="button" onClick={retry} className={buttonClass({ variant: "primary" })}>
            Try again
          </button>
          {/* A plain link: a full page load, through the middleware, whatever state the client router is in. */}
          <a href="/" className={textLinkClass}>
            Go to the home page
          </a>
        </div>
      </AuthCard>
    </main>
  );
}
