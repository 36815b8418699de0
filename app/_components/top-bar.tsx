import Link from "next/link";
import { signOutAction } from "@/app/_actions/sign-out";
import { ActionButton } from "@/app/_components/action-button";
import { Logo } from "@/app/_components/logo";
import { getCurrentSession, getTokenUser } from "@/lib/auth/dal";

// Anonymous visitors get no sign-in links here: every page they can reach
// already offers the one that fits, and one link per name keeps them unambiguous.

/**
 * `identity="live"`: the data access layer's live-session read, the same
 * cached one the page's requireUser or requireAnonymous makes, so a session
 * ended elsewhere never shows as signed in where a page refuses it.
 * `identity="token"`: public pages only, no query (docs/decisions/0013).
 * `identity="none"`: the root not-found page, which React renders into every
 * page's payload as the fallback of its boundary (docs/decisions/0013).
 */
export async function TopBar({ identity }: { identity: "live" | "token" | "none" }) {
  const user = identity === "none" ? null : identity === "token" ? await getTokenUser() : await liveUser();
  return (
    <header className="sticky top-0 z-10 border-b border-zinc-200 bg-white/80 backdrop-blur">
      <div className="mx-auto flex h-14 max-w-5xl items-center justify-between gap-4 px-4 sm:px-6">
        <Link href={user ? "/dashboard" : "/"} className="flex items-center gap-2.5 rounded-md font-semibold tracking-tight text-zinc-900">
          <Logo />
          Doorman
        </Link>
        {user ? (
          <div className="flex min-w-0 items-center gap-2 sm:gap-3">
            {/* Display only: the JWT's role decides whether the link shows; /admin asks the database. */}
            {user.role === "admin" ? (
              <Link href="/admin" className="rounded-md px-2 py-1 text-sm font-medium text-zinc-700 hover:bg-zinc-100 hover:text-zinc-900">
                Admin
              </Link>
            ) : null}
            <Link href="/account" className="rounded-md px-2 py-1 text-sm font-medium text-zinc-700 hover:bg-zinc-100 hover:text-zinc-900">
              Account
            </Link>
            <span className="flex min-w-0 items-center gap-2 text-sm text-zinc-700">
              <span aria-hidden="true" className="flex size-7 shrink-0 max-sm:hidden items-center justify-center rounded-full bg-indigo-100 text-xs font-semibold text-indigo-700">
                {initials(user.name)}
              </span>
              <span className="truncate max-sm:sr-only">{user.name}</span>
            </span>
            <ActionButton action={signOutAction} pendingLabel="Signing out…">
              Sign out
            </ActionButton>
          </div>
        ) : null}
      </div>
    </header>
  );
}

function initials(name: string): string {
  const letters = name
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => [...word][0] ?? "");
  return (letters.length > 1 ? `${letters[0]}${letters.at(-1)}` : (letters[0] ?? "?")).toUpperCase();
}

async function liveUser() {
  const session = await getCurrentSession();
  return session.status === "authenticated" ? session.claims : null;
}
