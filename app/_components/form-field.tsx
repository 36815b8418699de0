import type { ComponentProps } from "react";

type InputProps = Omit<ComponentProps<"input">, "id" | "name" | "className" | "aria-invalid" | "aria-describedby" | "value">;

/**
 * A labelled input whose hint and error are wired to it with
 * aria-describedby, so a screen reader reads them when the field gets focus.
 * Ids come from the field name: one form per page.
 */
export function FormField({
  label,
  name,
  error,
  hint,
  ...input
}: InputProps & { label: string; name: string; error?: string | undefined; hint?: string }) {
  const hintId = hint ? `${name}-hint` : null;
  const errorId = error ? `${name}-error` : null;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1.5">
      <label htmlFor={name} className="block text-sm font-medium text-zinc-800">
        {label}
      </label>
      <input
        id={name}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className="block h-10 w-full rounded-md border border-zinc-300 bg-white px-3 text-sm text-zinc-900 shadow-xs transition placeholder:text-zinc-400 focus:border-indigo-600 focus:ring-3 focus:ring-indigo-600/20 focus:outline-hidden aria-invalid:border-red-500 aria-invalid:focus:ring-red-500/20"
        {...input}
      />
      {hint ? (
        <p id={hintId ?? undefined} className="text-xs text-zinc-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId ?? undefined} className="text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}
