import type { AppProcess } from "../../scripts/lib/app-process";
import { closedLoop, type LoopResult } from "./closed-loop";
import { measureCpu } from "./cpu";
import { send, type Cookies } from "./http";

// Refresh load shared by sections 3 and 6: each client owns one session and
// rotates it as fast as the server answers, keeping the cookies it is given.

export type RefreshClient = { cookies: Cookies };

export type RefreshRun = LoopResult & {
  /** App CPU (all instances, all threads) per successful refresh; null off Linux. */
  serverCpuMs: number | null;
  /** This process's CPU per successful refresh: the load generator's own cost. */
  clientCpuMs: number;
};

export function refreshClients(sessions: readonly Cookies[]): RefreshClient[] {
  return sessions.map((cookies) => ({ cookies: { ...cookies } }));
}

/** Client i talks to apps[i % n], as a load balancer would spread browsers. */
export async function refreshLoad(apps: readonly AppProcess[], clients: readonly RefreshClient[], seconds: number): Promise<RefreshRun> {
  const assigned = clients.map((client, i) => ({ client, origin: apps[i % apps.length]!.origin }));
  const { result, cpu } = await measureCpu(
    apps.map((app) => app.pid),
    () =>
      closedLoop(assigned, seconds * 1000, async ({ client, origin }) => {
        const reply = await send(origin, "/api/auth/refresh", { method: "POST", cookies: client.cookies });
        if (reply.status === 200) Object.assign(client.cookies, reply.setCookies);
        return { status: reply.status, ms: reply.ms, ok: reply.status === 200 };
      }),
  );
  const per = (ms: number) => ms / Math.max(1, result.completed);
  return { ...result, serverCpuMs: cpu.serverMs === null ? null : per(cpu.serverMs), clientCpuMs: per(cpu.loadGeneratorMs) };
}
