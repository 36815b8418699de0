/** The product mark: a door ajar. Decorative; the product name beside it is the accessible text. */
export function Logo({ className = "size-7" }: { className?: string }) {
  return (
    <span aria-hidden="true" className={`inline-flex items-center justify-center rounded-lg bg-zinc-900 text-white ${className}`}>
      <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" className="size-[60%]">
        <path d="M4 21h16" />
        <path d="M6 21V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v17" />
        <path d="M14 12h.01" />
      </svg>
    </span>
  );
}
