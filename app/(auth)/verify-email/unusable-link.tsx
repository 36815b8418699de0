import Link from "next/link";
import { AuthCard } from "@/app/_components/auth-card";
import { buttonClass } from "@/app/_components/button-styles";

/** The way forward from a confirmation link that cannot be used. */
export function UnusableLink({ explanation }: { explanation: string }) {
  return (
    <AuthCard title="This link can't be used" description={explanation}>
      <Link href="/login" className={buttonClass({ wide: true })}>
        Sign in
      </Link>
    </AuthCard>
  );
}
