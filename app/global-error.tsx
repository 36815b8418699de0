"use client";

import { ErrorNotice } from "@/app/_components/error-notice";
import "./globals.css";

/** The root layout itself threw: this page replaces it, so it brings its own <html>. */
export default function GlobalError({ error }: { error: Error & { digest?: string } }) {
  return (
    <html lang="en">
      <head>
        <title>Something went wrong · Doorman</title>
      </head>
      <body className="flex min-h-dvh flex-col">
        <ErrorNotice digest={error.digest} retry={() => window.location.reload()} />
      </body>
    </html>
  );
}
