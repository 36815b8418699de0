import { desc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { emailOutbox } from "@/db/schema";
import { parseEmailAddress } from "@/lib/auth/accounts/email-address";
import { upsertVerifiedUserWithHash } from "@/lib/auth/accounts/upsert-user";
import { hashPassword } from "@/lib/auth/passwords/password";
import { openEmailBody } from "@/lib/email/seal";
import { POST as login } from "@/app/api/auth/login/route";
import { TestClient, type RouteHandler } from "./client";

export const PASSWORD = "correct horse battery staple";

/**
 * A real cost-12 bcrypt hash takes most of a second of a core here, and the
 * suite creates accounts by the thousand with a handful of passwords: each is
 * hashed once per test file. Sign-ins still run bcrypt every time.
 */
const hashes = new Map<string, Promise<string>>();
const hashOnce = (password: string) => hashes.get(password) ?? hashes.set(password, hashPassword(password)).get(password)!;

export async function createUser(
  email = "ada@example.com",
  options: { password?: string; name?: string; role?: "user" | "admin" } = {},
): Promise<{ id: string; email: string; password: string }> {
  const password = options.password ?? PASSWORD;
  const address = parseEmailAddress(email);
  if (!address) throw new Error(`bad test email ${email}`);
  const passwordHash = await hashOnce(password);
  const { id } = await upsertVerifiedUserWithHash({ email: address, passwordHash, name: options.name ?? "Ada Lovelace", role: options.role ?? "user" });
  return { id, email, password };
}

/** A client signed in through the real login route. */
export async function loginAs(user: { email: string; password: string }): Promise<TestClient> {
  const client = new TestClient();
  const response = await client.call(login as RouteHandler, { path: "/api/auth/login", json: { email: user.email, password: user.password } });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return client;
}

/** The newest message the outbox holds for an address, opened as the dev mailbox does (empty parts once erased). */
export async function readEmail(to: string) {
  const db = await getDb();
  const [message] = await db
    .select()
    .from(emailOutbox)
    .where(eq(emailOutbox.toAddress, to))
    .orderBy(desc(emailOutbox.createdAt))
    .limit(1);
  return message ? opened(message) : null;
}

/** Every message the outbox holds, oldest first, opened the same way. */
export async function readAllEmails() {
  const db = await getDb();
  return (await db.select().from(emailOutbox).orderBy(emailOutbox.createdAt)).map(opened);
}

function opened(message: typeof emailOutbox.$inferSelect) {
  const body = openEmailBody(message);
  return { ...message, textBody: body?.text ?? "", htmlBody: body?.html ?? "" };
}

export function tokenFromLink(text: string, path: string): string {
  const match = new RegExp(`${path.replace("/", "\\/")}\\?token=([A-Za-z0-9_-]+)`).exec(text);
  if (!match?.[1]) throw new Error(`no ${path} link in: ${text}`);
  return match[1];
}
