ALTER TABLE "users" ADD COLUMN "email_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email_verified_via" text;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_email_verified_via_known" CHECK ("users"."email_verified_via" is null or "users"."email_verified_via" in ('email', 'oidc', 'operator'));