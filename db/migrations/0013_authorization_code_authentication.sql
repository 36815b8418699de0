ALTER TABLE "authorization_codes" ADD COLUMN "authenticated_at" timestamp with time zone;--> statement-breakpoint
-- A code outstanding at upgrade (they live 60 seconds) carries no authentication: its session must step up.
UPDATE "authorization_codes" SET "authenticated_at" = 'epoch';--> statement-breakpoint
ALTER TABLE "authorization_codes" ALTER COLUMN "authenticated_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "authorization_codes" ADD COLUMN "two_factor" boolean DEFAULT false NOT NULL;
