import { GET as listUsers } from "@/app/api/admin/users/route";
import { GET as getUser } from "@/app/api/admin/users/[id]/route";
import { DELETE as endSessions } from "@/app/api/admin/users/[id]/sessions/route";
import { POST as disable } from "@/app/api/admin/users/[id]/disable/route";
import { POST as enable } from "@/app/api/admin/users/[id]/enable/route";
import { PATCH as setRole } from "@/app/api/admin/users/[id]/role/route";
import { DELETE as revokeApiKey } from "@/app/api/admin/users/[id]/api-keys/[keyId]/route";
import type { RouteHandler, TestClient } from "./client";

// The admin API's route handlers, called as a browser on APP_URL would call them.

const h = (handler: unknown) => handler as RouteHandler;
type Extra = { headers?: Record<string, string> };

export const adminApi = {
  list: (client: TestClient, search = "", extra: Extra = {}) =>
    client.call(h(listUsers), { path: `/api/admin/users${search}`, ...extra }),
  get: (client: TestClient, id: string, extra: Extra = {}) =>
    client.call(h(getUser), { path: `/api/admin/users/${encodeURIComponent(id)}`, params: { id }, ...extra }),
  endSessions: (client: TestClient, id: string, extra: Extra = {}) =>
    client.call(h(endSessions), { method: "DELETE", path: `/api/admin/users/${encodeURIComponent(id)}/sessions`, params: { id }, ...extra }),
  disable: (client: TestClient, id: string, extra: Extra = {}) =>
    client.call(h(disable), { method: "POST", path: `/api/admin/users/${encodeURIComponent(id)}/disable`, params: { id }, ...extra }),
  enable: (client: TestClient, id: string, extra: Extra = {}) =>
    client.call(h(enable), { method: "POST", path: `/api/admin/users/${encodeURIComponent(id)}/enable`, params: { id }, ...extra }),
  revokeApiKey: (client: TestClient, id: string, keyId: string, extra: Extra = {}) =>
    client.call(h(revokeApiKey), {
      method: "DELETE",
      path: `/api/admin/users/${encodeURIComponent(id)}/api-keys/${encodeURIComponent(keyId)}`,
      params: { id, keyId },
      ...extra,
    }),
  setRole: (client: TestClient, id: string, json: unknown, extra: Extra & { body?: string } = {}) =>
    client.call(h(setRole), {
      method: "PATCH",
      path: `/api/admin/users/${encodeURIComponent(id)}/role`,
      params: { id },
      ...(extra.body === undefined ? { json } : { body: extra.body }),
      headers: extra.headers,
    }),
};
