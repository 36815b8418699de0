import type { ReactNode } from "react";

export const metadata = { title: "Better Auth peer" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
