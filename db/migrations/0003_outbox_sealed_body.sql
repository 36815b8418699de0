-- Hand-written (a regenerate loses it): messages still waiting were queued in clear and SQL cannot seal them, so they are dropped; their users ask for a new link.
UPDATE "email_outbox" SET "failed_at" = now(), "claimed_until" = NULL, "last_error" = 'dropped when the outbox was sealed: ask for a new link' WHERE "sent_at" IS NULL AND "failed_at" IS NULL;--> statement-breakpoint
-- Hand-written: blank the bodies before dropping them, or every row's live tuple keeps its links in the dropped columns' storage.
UPDATE "email_outbox" SET "text_body" = '', "html_body" = '';--> statement-breakpoint
ALTER TABLE "email_outbox" ADD COLUMN "sealed_body" text;--> statement-breakpoint
ALTER TABLE "email_outbox" DROP COLUMN "text_body";--> statement-breakpoint
ALTER TABLE "email_outbox" DROP COLUMN "html_body";
