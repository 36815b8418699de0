import type { ReactNode } from "react";

/** A titled white card: the building block of signed-in pages. */
export function Panel({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  return (
    <section className="rounded-xl border border-zinc-200 bg-white shadow-sm">
      <header className="border-b border-zinc-200 px-5 py-3">
        <h2 className="text-sm font-medium text-zinc-900">{title}</h2>
        {description ? <p className="mt-0.5 text-sm text-zinc-500">{description}</p> : null}
      </header>
      {children}
    </section>
  );
}

/** Term and value rows inside a Panel. */
export function DetailList({ children }: { children: ReactNode }) {
  return <dl className="divide-y divide-zinc-100 px-5">{children}</dl>;
}

export function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-3 gap-4 py-3 text-sm">
      <dt className="text-zinc-500">{term}</dt>
      <dd className="col-span-2 break-words text-zinc-900">{children}</dd>
    </div>
  );
}

const badgeTones = {
  neutral: "bg-zinc-100 text-zinc-700",
  indigo: "bg-indigo-50 text-indigo-700 ring-1 ring-indigo-600/20 ring-inset",
  green: "bg-emerald-50 text-emerald-700 ring-1 ring-emerald-600/20 ring-inset",
  amber: "bg-amber-50 text-amber-800 ring-1 ring-amber-600/20 ring-inset",
};

export function Badge({ tone = "neutral", children }: { tone?: keyof typeof badgeTones; children: ReactNode }) {
  return <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${badgeTones[tone]}`}>{children}</span>;
}
