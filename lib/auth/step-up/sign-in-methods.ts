import { sql } from "drizzle-orm";
import { executeRows, type Executor } from "@/db/client";

/** What an account can prove itself with: what the step-up prompt offers, and whether it has a second factor at all. */
export type SignInMethods = { password: boolean; totp: boolean; passkeys: number; providers: string[] };

export async function signInMethods(db: Executor, userId: string): Promise<SignInMethods> {
  const [row] = await executeRows<{ password: boolean; totp: boolean; passkeys: number; providers: string[] | null }>(
    db,
    sql`select
      (u.password_hash is not null) as password,
      exists (select 1 from totp_factors t where t.user_id = u.id and t.confirmed_at is not null) as totp,
      (select count(*)::int from passkeys p where p.user_id = u.id) as passkeys,
      (select array_agg(i.provider order by i.provider) from user_identities i where i.user_id = u.id) as providers
    from users u where u.id = ${userId}`,
  );
  return { password: row?.password ?? false, totp: row?.totp ?? false, passkeys: Number(row?.passkeys ?? 0), providers: row?.providers ?? [] };
}

export function hasSecondFactor(methods: SignInMethods): boolean {
  return methods.totp || methods.passkeys > 0;
}

/** The proofs a step-up takes from this account: the password only where there is no second factor (docs/decisions/0036). */
export type StepUpMethods = { password: boolean; totp: boolean; passkey: boolean };

export function stepUpMethods(methods: SignInMethods): StepUpMethods {
  return { password: methods.password && !hasSecondFactor(methods), totp: methods.totp, passkey: methods.passkeys > 0 };
}
