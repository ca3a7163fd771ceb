CREATE TABLE "usage_monthly_totals" (
	"month" timestamp with time zone PRIMARY KEY NOT NULL,
	"tokens" bigint DEFAULT 0 NOT NULL,
	"cost_usd" numeric(16, 6) DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_user_totals" (
	"user_id" uuid NOT NULL,
	"period" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"tokens" bigint DEFAULT 0 NOT NULL,
	"cost_usd" numeric(16, 6) DEFAULT 0 NOT NULL,
	CONSTRAINT "usage_user_totals_user_id_period_starts_at_pk" PRIMARY KEY("user_id","period","starts_at")
);
--> statement-breakpoint
ALTER TABLE "usage_user_totals" ADD CONSTRAINT "usage_user_totals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;