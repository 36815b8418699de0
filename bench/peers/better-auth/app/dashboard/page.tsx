import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { auth } from "../../lib/auth";

// The real check: the proxy only looked for a cookie, this asks Better Auth
// whether the session behind it is valid.
export default async function DashboardPage() {
  const session = await auth.api.getSession({ headers: await headers() });
  if (!session) redirect("/login");
  return (
    <main>
      <h1>Dashboard</h1>
      <p>
        Signed in as {session.user.name} ({session.user.email})
      </p>
    </main>
  );
}
