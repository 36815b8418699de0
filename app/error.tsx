"use client";

import { ErrorNotice } from "@/app/_components/error-notice";

/**
 * A page, layout below the root, or server action that threw. It replaces
 * Next's built-in page, which shows no reference to give support. Its `reset`
 * would re-render the client's copy only; refreshing asks the server again.
 */
export default function ErrorPage({ error }: { error: Error & { digest?: string } }) {
  return <ErrorNotice digest={error.digest} retry={() => window.location.reload()} />;
}
