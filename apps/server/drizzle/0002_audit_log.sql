CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"teacher_id" text NOT NULL,
	"t" bigint NOT NULL,
	"action" text NOT NULL,
	"session_id" text,
	"target_id" text,
	"details" jsonb,
	"ip" text
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_teacher_id_teachers_id_fk" FOREIGN KEY ("teacher_id") REFERENCES "public"."teachers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_teacher_t_idx" ON "audit_log" USING btree ("teacher_id","t");