import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Doorman", template: "%s · Doorman" },
  description: "The authenticated base for Next.js App Router apps.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      {/* Each route group's layout (and not-found.tsx) puts the top bar above its pages. */}
      <body className="flex min-h-dvh flex-col">{children}</body>
    </html>
  );
}
