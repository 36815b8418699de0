import Link from "next/link";
import { buttonClass } from "@/app/_components/button-styles";

/** Previous and next links of a keyset-paged list; plain links, so paging works without JavaScript. */
export function Pager({ href, prevCursor, nextCursor }: { href: (cursor: string) => string; prevCursor: string | null; nextCursor: string | null }) {
  if (!prevCursor && !nextCursor) return null;
  const style = buttonClass({ variant: "secondary", size: "sm" });
  return (
    <nav aria-label="Pages of users" className="flex items-center justify-between gap-4 border-t border-zinc-200 px-5 py-3">
      {prevCursor ? (
        <Link href={href(prevCursor)} className={style} rel="prev">
          ← Newer
        </Link>
      ) : (
        <span />
      )}
      {nextCursor ? (
        <Link href={href(nextCursor)} className={style} rel="next">
          Older →
        </Link>
      ) : null}
    </nav>
  );
}
