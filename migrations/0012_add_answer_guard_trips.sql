CREATE TABLE "answer_guard_trips" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"message_id" uuid NOT NULL,
	"hint_level" smallint NOT NULL,
	"reason" text NOT NULL,
	"attempt" smallint NOT NULL,
	"code_lines" integer NOT NULL,
	"overlap" real NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "answer_guard_trips" ADD CONSTRAINT "answer_guard_trips_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_guard_trips" ADD CONSTRAINT "answer_guard_trips_session_id_chat_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."chat_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_guard_trips" ADD CONSTRAINT "answer_guard_trips_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "answer_guard_trips_created_idx" ON "answer_guard_trips" USING btree ("created_at");