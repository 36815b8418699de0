import type { Metadata } from "next";
import Link from "next/link";
import { textLinkClass } from "@/app/_components/auth-card";
import { buttonClass } from "@/app/_components/button-styles";
import { FormField } from "@/app/_components/form-field";
import { Panel } from "@/app/_components/panel";
import { UnavailableNotice } from "@/app/_components/unavailable-notice";
import { Pager } from "@/app/(signed-in)/admin/pager";
import { UserTable } from "@/app/(signed-in)/admin/user-table";
import { listUsers } from "@/lib/admin/list-users";
import { DEFAULT_PAGE_SIZE, ListUsersQuery } from "@/lib/admin/schemas";
import { requireAdminPage } from "@/lib/auth/dal";
import { deliveryFaultNotice, readEmailDeliveryFault } from "@/lib/email/provider-fault";
import { singleParam, type SearchParams } from "@/lib/forms/search-param";
import { fieldErrors } from "@/lib/http/read-json";
import { loadPageData } from "@/lib/page-data";

export const metadata: Metadata = { title: "Admin" };

const ADMIN_PATH = "/admin";

export default async function AdminPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const raw = { query: singleParam(params.query), cursor: singleParam(params.cursor), limit: singleParam(params.limit) };
  const loaded = await loadPageData(async () => {
    await requireAdminPage(ADMIN_PATH);
    const input = ListUsersQuery.safeParse(raw);
    if (!input.success) return { problem: Object.values(fieldErrors(input.error))[0] ?? "This page link is not valid." } as const;
    const [page, emailFault] = await Promise.all([listUsers(input.data), readEmailDeliveryFault()]);
    return { input: input.data, page, emailFault } as const;
  }, "admin_page");

  return (
    <main className="mx-auto w-full max-w-5xl flex-1 px-4 py-12 sm:px-6">
      <h1 className="text-2xl font-semibold tracking-tight text-zinc-900">Admin</h1>
      <p className="mt-1 text-zinc-600">
        Every account, newest first. Open one to see its devices and security activity, sign it out, disable it or change its role.{" "}
        <Link href="/admin/settings" className={textLinkClass}>
          Settings
        </Link>
      </p>

      {!loaded ? (
        <UnavailableNotice retryHref={ADMIN_PATH} />
      ) : "problem" in loaded ? (
        <p role="alert" className="mt-8 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          {loaded.problem}{" "}
          <Link href={ADMIN_PATH} className="font-medium underline underline-offset-4">
            Start again
          </Link>
        </p>
      ) : (
        <>
          {loaded.emailFault ? (
            <p role="alert" className="mt-8 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
              {deliveryFaultNotice(loaded.emailFault)}
            </p>
          ) : null}
          {/* A GET form: searching changes nothing, and the results have an address to share or reload. */}
          <form role="search" action={ADMIN_PATH} method="get" className="mt-8 flex flex-wrap items-end gap-3">
            <div className="min-w-64 flex-1">
              <FormField label="Search by email or name" name="query" type="search" defaultValue={loaded.input.query} maxLength={200} />
            </div>
            {loaded.input.limit === DEFAULT_PAGE_SIZE ? null : <input type="hidden" name="limit" value={loaded.input.limit} />}
            <button type="submit" className={buttonClass()}>
              Search
            </button>
            {loaded.input.query ? (
              <Link href={ADMIN_PATH} className={`${textLinkClass} self-center text-sm`}>
                Clear search
              </Link>
            ) : null}
          </form>

          <div className="mt-6">
            <Panel title={loaded.input.query ? `Accounts matching “${loaded.input.query}”` : "Accounts"}>
              <UserTable users={loaded.page.users} caption={loaded.input.query ? `Accounts matching ${loaded.input.query}` : "Accounts"} />
              <Pager
                href={(cursor) => pageHref({ query: loaded.input.query, limit: loaded.input.limit, cursor })}
                prevCursor={loaded.page.prevCursor}
                nextCursor={loaded.page.nextCursor}
              />
            </Panel>
          </div>
        </>
      )}
    </main>
  );
}

function pageHref(input: { query: string; limit: number; cursor: string }): string {
  const search = new URLSearchParams();
  if (input.query) search.set("query", input.query);
  if (input.limit !== DEFAULT_PAGE_SIZE) search.set("limit", String(input.limit));
  search.set("cursor", input.cursor);
  return `${ADMIN_PATH}?${search}`;
}
