import { Badge } from "@/app/_components/panel";
import type { Role } from "@/lib/auth/edge/jwt";

export function RoleBadge({ role }: { role: Role }) {
  return <Badge>{role === "admin" ? "Admin" : "User"}</Badge>;
}
