import Link from "next/link";
import { textLinkClass } from "@/app/_components/auth-card";
import { Badge } from "@/app/_components/panel";
import { RoleBadge } from "@/app/_components/role-badge";
import type { AdminUser } from "@/lib/admin/admin-user";
import { formatUtc, relativeTime } from "@/lib/format/time";

/** The users list: one row per account, its name leading to the account's page. */
export function UserTable({ users, caption }: { users: AdminUser[]; caption: string }) {
  if (users.length === 0) return <p className="px-5 py-4 text-sm text-zinc-500">No account matches.</p>;
  return (
    // Wide tables scroll sideways on a phone rather than squeezing every column.
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-zinc-200 text-zinc-500">
          <tr>
            {["Name", "Email", "Role", "Status", "Created", "Last sign-in"].map((heading) => (
              <th key={heading} scope="col" className="px-5 py-2.5 font-medium whitespace-nowrap">
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {users.map((user) => (
            <tr key={user.id}>
              <th scope="row" className="px-5 py-3 font-medium whitespace-nowrap">
                <Link href={`/admin/users/${user.id}`} className={textLinkClass}>
                  {user.name}
                </Link>
              </th>
              <td className="px-5 py-3 whitespace-nowrap text-zinc-800">{user.email}</td>
              <td className="px-5 py-3">
                <RoleBadge role={user.role} />
              </td>
              <td className="px-5 py-3">
                <span className="flex flex-wrap gap-1.5">
                  {user.disabledAt ? <Badge tone="amber">Disabled</Badge> : <Badge tone="green">Active</Badge>}
                  {user.emailVerified ? null : <Badge>Unverified</Badge>}
                </span>
              </td>
              <td className="px-5 py-3 whitespace-nowrap text-zinc-800">
                <time dateTime={user.createdAt}>{formatUtc(new Date(user.createdAt))}</time>
              </td>
              <td className="px-5 py-3 whitespace-nowrap text-zinc-800">
                {user.lastSignInAt ? <time dateTime={user.lastSignInAt}>{relativeTime(new Date(user.lastSignInAt))}</time> : "Never"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
