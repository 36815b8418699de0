import { NextResponse } from "next/server";

// Liveness (docs/decisions/0026): the process serves. No database, no session,
// no password hashing: a database outage must not get healthy instances restarted.
export function GET(): NextResponse {
  return NextResponse.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
