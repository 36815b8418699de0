import { TestClient, type RouteHandler } from "./client";

export const TEST_CRON_SECRET = "cron-secret-for-tests-0123456789";

/** A GET to a /api/cron/* route, as Vercel Cron sends it; `authorization` is the whole header, if any. */
export function callCron(handler: unknown, path: string, authorization?: string): Promise<Response> {
  return new TestClient().call(handler as RouteHandler, { path, headers: authorization ? { authorization } : {} });
}
