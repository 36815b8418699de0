import Link from "next/link";
import { AuthCard } from "@/app/_components/auth-card";
import { buttonClass } from "@/app/_components/button-styles";

const explanations = {
  "used-or-expired":
    "It may already have been used, or it has expired: confirmation links work once, for 24 hours. If you already confirmed your email, sign in.",
  incomplete: "The address is missing part of the link. Open the link from your email again, or copy the whole address into your browser.",
} as const;

/** The way forward from a confirmation link that cannot be used. */
export function UnusableLink({ reason }: { reason: keyof typeof explanations }) {
  return (
    <AuthCard title="This link can't be used" description={explanations[reason]}>
      <Link href="/login" className={buttonClass({ wide: true })}>
        Sign in
      </Link>
    </AuthCard>
  );
}
