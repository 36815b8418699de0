CREATE TABLE "email_provider_faults" (
	"provider" text PRIMARY KEY NOT NULL,
	"status" integer,
	"code" text NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL
);
