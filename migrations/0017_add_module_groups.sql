CREATE TABLE "module_groups" (
	"module_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	CONSTRAINT "module_groups_module_id_group_id_pk" PRIMARY KEY("module_id","group_id")
);
--> statement-breakpoint
ALTER TABLE "module_groups" ADD CONSTRAINT "module_groups_module_id_modules_id_fk" FOREIGN KEY ("module_id") REFERENCES "public"."modules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "module_groups" ADD CONSTRAINT "module_groups_group_id_class_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."class_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "module_groups_group_idx" ON "module_groups" USING btree ("group_id");