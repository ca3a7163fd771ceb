CREATE TABLE "retrieval_chunks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_user_id" uuid,
	"module_id" uuid,
	"module_notebook_id" uuid,
	"module_file_id" uuid,
	"personal_notebook_id" uuid,
	"source_key" text NOT NULL,
	"position" integer NOT NULL,
	"cell_index" integer,
	"kind" text NOT NULL,
	"citation" text NOT NULL,
	"content" text NOT NULL,
	"content_hash" text NOT NULL,
	"embedding_model" text,
	"embedded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "retrieval_chunks" ADD CONSTRAINT "retrieval_chunks_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retrieval_chunks" ADD CONSTRAINT "retrieval_chunks_module_id_modules_id_fk" FOREIGN KEY ("module_id") REFERENCES "public"."modules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retrieval_chunks" ADD CONSTRAINT "retrieval_chunks_module_notebook_id_module_notebooks_id_fk" FOREIGN KEY ("module_notebook_id") REFERENCES "public"."module_notebooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retrieval_chunks" ADD CONSTRAINT "retrieval_chunks_module_file_id_module_files_id_fk" FOREIGN KEY ("module_file_id") REFERENCES "public"."module_files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retrieval_chunks" ADD CONSTRAINT "retrieval_chunks_personal_notebook_id_personal_notebooks_id_fk" FOREIGN KEY ("personal_notebook_id") REFERENCES "public"."personal_notebooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "retrieval_chunks_source_position_idx" ON "retrieval_chunks" USING btree ("source_key","position");--> statement-breakpoint
CREATE INDEX "retrieval_chunks_owner_idx" ON "retrieval_chunks" USING btree ("owner_user_id");--> statement-breakpoint
CREATE INDEX "retrieval_chunks_module_idx" ON "retrieval_chunks" USING btree ("module_id");--> statement-breakpoint
CREATE INDEX "retrieval_chunks_fts_idx" ON "retrieval_chunks" USING gin (to_tsvector('english', "citation" || ' ' || "content"));