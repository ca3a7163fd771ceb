CREATE TABLE "exercise_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"exercise_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"outcome" text NOT NULL,
	"failing_test" text,
	"message" text,
	"duration_ms" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exercises" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"module_notebook_id" uuid NOT NULL,
	"grade_id" text NOT NULL,
	"cell_id" text NOT NULL,
	"position" integer NOT NULL,
	"prompt" text DEFAULT '' NOT NULL,
	"starter_code" text DEFAULT '' NOT NULL,
	"reference_solution" text,
	"visible_tests" text DEFAULT '' NOT NULL,
	"hidden_tests" text,
	"attempts_before_code_help" smallint DEFAULT 3 NOT NULL,
	"max_hint_level" smallint DEFAULT 5 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "exercises_max_hint_level" CHECK ("exercises"."max_hint_level" between 1 and 5),
	CONSTRAINT "exercises_attempts" CHECK ("exercises"."attempts_before_code_help" between 0 and 20)
);
--> statement-breakpoint
ALTER TABLE "modules" ADD COLUMN "ai_policy" json;--> statement-breakpoint
ALTER TABLE "exercise_attempts" ADD CONSTRAINT "exercise_attempts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exercise_attempts" ADD CONSTRAINT "exercise_attempts_exercise_id_exercises_id_fk" FOREIGN KEY ("exercise_id") REFERENCES "public"."exercises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exercises" ADD CONSTRAINT "exercises_module_notebook_id_module_notebooks_id_fk" FOREIGN KEY ("module_notebook_id") REFERENCES "public"."module_notebooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "exercise_attempts_user_exercise_idx" ON "exercise_attempts" USING btree ("user_id","exercise_id","created_at");--> statement-breakpoint
CREATE INDEX "exercise_attempts_exercise_idx" ON "exercise_attempts" USING btree ("exercise_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "exercises_notebook_grade_idx" ON "exercises" USING btree ("module_notebook_id","grade_id");