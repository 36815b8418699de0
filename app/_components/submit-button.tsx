"use client";

import { useFormStatus } from "react-dom";
import type { ReactNode } from "react";
import { buttonClass } from "@/app/_components/button-styles";

/** Disabled, with a "…ing" label, while its form's action runs (a second click would resubmit). */
export function SubmitButton({
  children,
  pendingLabel,
  ...style
}: {
  children: ReactNode;
  pendingLabel: string;
  variant?: "primary" | "secondary";
  size?: "md" | "sm";
  wide?: boolean;
}) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending} className={buttonClass(style)}>
      {pending ? <Spinner /> : null}
      {pending ? pendingLabel : children}
    </button>
  );
}

function Spinner() {
  return <span aria-hidden="true" className="size-3.5 animate-spin rounded-full border-2 border-current border-r-transparent" />;
}
