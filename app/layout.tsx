import type { Metadata } from "next";
import type { ReactNode } from "react";
import { TopBar } from "@/app/_components/top-bar";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Doorman", template: "%s · Doorman" },
  description: "The authenticated base for Next.js App Router apps.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="flex min-h-dvh flex-col">
        <TopBar />
        {children}
      </body>
    </html>
  );
}
