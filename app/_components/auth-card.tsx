import type { ReactNode } from "react";
import { Logo } from "@/app/_components/logo";

/** The centred card every sign-in, sign-up and token page is drawn in. */
export function AuthCard({
  title,
  description,
  children,
  footer,
}: {
  title: string;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <div className="w-full max-w-sm">
      <div className="rounded-xl border border-zinc-200 bg-white p-8 shadow-sm">
        <Logo className="mb-6 size-9" />
        <h1 className="text-xl font-semibold tracking-tight text-zinc-900">{title}</h1>
        {description ? <div className="mt-1.5 text-sm leading-6 text-zinc-600">{description}</div> : null}
        {children ? <div className="mt-6">{children}</div> : null}
      </div>
      {footer ? <p className="mt-6 text-center text-sm text-zinc-600">{footer}</p> : null}
    </div>
  );
}

/** Inline text links inside cards and footers. */
export const textLinkClass = "font-medium text-indigo-600 underline-offset-4 hover:underline";
