CREATE TABLE "content_seeds" (
	"key" text PRIMARY KEY NOT NULL,
	"seeded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "module_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"module_id" uuid NOT NULL,
	"notebook_id" uuid,
	"path" text NOT NULL,
	"mime" text DEFAULT 'application/octet-stream' NOT NULL,
	"size_bytes" integer NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "module_files_path_relative" CHECK ("module_files"."path" <> '' and "module_files"."path" !~ '^/' and "module_files"."path" !~ '(^|/)\.\.?(/|$)' and position('\' in "module_files"."path") = 0)
);
--> statement-breakpoint
CREATE TABLE "module_notebooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"module_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"content" json NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "modules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"published" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "modules_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "notebook_copies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"module_notebook_id" uuid NOT NULL,
	"content" json NOT NULL,
	"size_bytes" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"source_version" integer NOT NULL,
	"status" text DEFAULT 'not_started' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "personal_notebooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"title" text NOT NULL,
	"content" json NOT NULL,
	"size_bytes" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "module_files" ADD CONSTRAINT "module_files_module_id_modules_id_fk" FOREIGN KEY ("module_id") REFERENCES "public"."modules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "module_files" ADD CONSTRAINT "module_files_notebook_id_module_notebooks_id_fk" FOREIGN KEY ("notebook_id") REFERENCES "public"."module_notebooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "module_notebooks" ADD CONSTRAINT "module_notebooks_module_id_modules_id_fk" FOREIGN KEY ("module_id") REFERENCES "public"."modules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notebook_copies" ADD CONSTRAINT "notebook_copies_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notebook_copies" ADD CONSTRAINT "notebook_copies_module_notebook_id_module_notebooks_id_fk" FOREIGN KEY ("module_notebook_id") REFERENCES "public"."module_notebooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personal_notebooks" ADD CONSTRAINT "personal_notebooks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "module_files_module_path_idx" ON "module_files" USING btree ("module_id","path") WHERE "module_files"."notebook_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "module_files_notebook_path_idx" ON "module_files" USING btree ("notebook_id","path") WHERE "module_files"."notebook_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "module_notebooks_module_slug_idx" ON "module_notebooks" USING btree ("module_id","slug");--> statement-breakpoint
CREATE INDEX "module_notebooks_module_position_idx" ON "module_notebooks" USING btree ("module_id","position");--> statement-breakpoint
CREATE INDEX "modules_position_idx" ON "modules" USING btree ("position");--> statement-breakpoint
CREATE UNIQUE INDEX "notebook_copies_user_notebook_idx" ON "notebook_copies" USING btree ("user_id","module_notebook_id");--> statement-breakpoint
CREATE INDEX "notebook_copies_notebook_idx" ON "notebook_copies" USING btree ("module_notebook_id");--> statement-breakpoint
CREATE INDEX "personal_notebooks_user_idx" ON "personal_notebooks" USING btree ("user_id","updated_at");