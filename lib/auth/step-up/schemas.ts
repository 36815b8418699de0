import { z } from "zod";
import { CurrentPasswordSchema } from "@/lib/auth/schemas";

export const ReauthenticateInput = z.object({ password: CurrentPasswordSchema });
