"use client";

import { useFormStatus } from "react-dom";
import type { ReactNode } from "react";
import { buttonClass, type ButtonStyle } from "@/app/_components/button-styles";

/** Disabled, with a "…ing" label, while its form's action runs (a second click would resubmit). */
export function SubmitButton({
  children,
  pendingLabel,
  label,
  ...style
}: ButtonStyle & {
  children: ReactNode;
  pendingLabel: string;
  /** The accessible name, when the visible text alone is ambiguous (a "Sign out" button per device). */
  label?: string;
}) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending} aria-label={label} className={buttonClass(style)}>
      {pending ? <Spinner /> : null}
      {pending ? pendingLabel : children}
    </button>
  );
}

function Spinner() {
  return <span aria-hidden="true" className="size-3.5 animate-spin rounded-full border-2 border-current border-r-transparent" />;
}
