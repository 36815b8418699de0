import { z } from "zod";
import { decodeUserCursor } from "@/lib/admin/user-cursor";
import { CONTROL_CHARACTERS, RoleSchema } from "@/lib/auth/schemas";
import { validate } from "@/lib/http/read-json";

// The admin console's input, shared by its route handlers, server actions and pages.

export const DEFAULT_PAGE_SIZE = 20;
/** A bigger page is refused (400), not silently shortened: the caller learns the limit. */
export const MAX_PAGE_SIZE = 100;
const PAGE_SIZE_MESSAGE = `Use a whole number from 1 to ${MAX_PAGE_SIZE}.`;

export const UserIdSchema = z.uuid({ error: "That is not a user id." });
export const UserIdParams = z.object({ id: UserIdSchema });

export const SettingsInput = z.object({ requireAdminSecondFactor: z.boolean({ error: "Send true or false." }) });

export const SetRoleInput = z.object({ role: RoleSchema });

export const ListUsersQuery = z.object({
  /** Matched against email and name, case-insensitively, anywhere in either. */
  query: z
    .string()
    .max(200, "Use at most 200 characters.")
    .transform((value) => value.normalize("NFKC").trim())
    // No name or address holds one, and PostgreSQL refuses a NUL in text outright (a 500, before this check).
    .refine((value) => !CONTROL_CHARACTERS.test(value), "Remove control characters from the search.")
    .default(""),
  cursor: z
    .string()
    .max(200, "This page link is not valid.")
    .transform((value, ctx) => {
      const cursor = decodeUserCursor(value);
      if (!cursor) {
        ctx.addIssue({ code: "custom", message: "This page link is not valid." });
        return z.NEVER;
      }
      return cursor;
    })
    .optional(),
  limit: z.coerce
    .number({ error: PAGE_SIZE_MESSAGE })
    .int(PAGE_SIZE_MESSAGE)
    .min(1, PAGE_SIZE_MESSAGE)
    .max(MAX_PAGE_SIZE, PAGE_SIZE_MESSAGE)
    .default(DEFAULT_PAGE_SIZE),
});

export type ListUsersQuery = z.infer<typeof ListUsersQuery>;

export type UserRouteContext = { params: Promise<{ id: string }> };

/** The `:id` of /api/admin/users/:id; anything but a UUID is 400 invalid_request. */
export async function readUserIdParam(context: UserRouteContext): Promise<string> {
  return validate(UserIdParams, await context.params).id;
}
