import type { ReactNode } from "react";
import { AuthCard } from "@/app/_components/auth-card";

export const MISSING_TOKEN_EXPLANATION =
  "The address is missing part of the link. Open the link from your email again, or copy the whole address into your browser.";

/** The page a one-time link (confirmation, password reset) leads to when it cannot be used; `children` is the way forward. */
export function UnusableLink({ explanation, children }: { explanation: string; children: ReactNode }) {
  return (
    <AuthCard title="This link can't be used" description={explanation}>
      {children}
    </AuthCard>
  );
}
