CREATE TABLE "alerts" (
	"id" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"participant_id" text NOT NULL,
	"kind" text NOT NULL,
	"code" text,
	"started_at" bigint NOT NULL,
	"ended_at" bigint,
	"acknowledged_at" bigint
);
--> statement-breakpoint
CREATE TABLE "auth_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"teacher_id" text NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "markers" (
	"id" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"t" bigint NOT NULL,
	"label" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "participants" (
	"id" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"name" text NOT NULL,
	"number" integer NOT NULL,
	"token_hash" text NOT NULL,
	"accommodations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" bigint NOT NULL,
	"last_seq" bigint DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'offline' NOT NULL,
	"alert" text,
	"reason" text,
	"status_since" bigint NOT NULL,
	"connected" boolean DEFAULT false NOT NULL,
	"last_seen_at" bigint,
	"lost_since" bigint
);
--> statement-breakpoint
CREATE TABLE "samples" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"participant_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"t" bigint NOT NULL,
	"ct" bigint NOT NULL,
	"status" text NOT NULL,
	"score" real,
	"frame" jsonb
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"teacher_id" text NOT NULL,
	"title" text NOT NULL,
	"join_code" text NOT NULL,
	"mode" text NOT NULL,
	"emotion" text NOT NULL,
	"look_away_seconds" real NOT NULL,
	"anonymous" boolean NOT NULL,
	"created_at" bigint NOT NULL,
	"ended_at" bigint
);
--> statement-breakpoint
CREATE TABLE "status_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"participant_id" text NOT NULL,
	"seq" bigint,
	"t" bigint NOT NULL,
	"status" text NOT NULL,
	"alert" text,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "teachers" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth_sessions" ADD CONSTRAINT "auth_sessions_teacher_id_teachers_id_fk" FOREIGN KEY ("teacher_id") REFERENCES "public"."teachers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "markers" ADD CONSTRAINT "markers_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participants" ADD CONSTRAINT "participants_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "samples" ADD CONSTRAINT "samples_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "samples" ADD CONSTRAINT "samples_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_teacher_id_teachers_id_fk" FOREIGN KEY ("teacher_id") REFERENCES "public"."teachers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_changes" ADD CONSTRAINT "status_changes_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_changes" ADD CONSTRAINT "status_changes_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alerts_session_t_idx" ON "alerts" USING btree ("session_id","started_at");--> statement-breakpoint
CREATE INDEX "alerts_participant_t_idx" ON "alerts" USING btree ("participant_id","started_at");--> statement-breakpoint
CREATE INDEX "auth_sessions_teacher_idx" ON "auth_sessions" USING btree ("teacher_id");--> statement-breakpoint
CREATE INDEX "markers_session_t_idx" ON "markers" USING btree ("session_id","t");--> statement-breakpoint
CREATE UNIQUE INDEX "participants_token_idx" ON "participants" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "participants_session_number_idx" ON "participants" USING btree ("session_id","number");--> statement-breakpoint
CREATE INDEX "samples_session_t_idx" ON "samples" USING btree ("session_id","t");--> statement-breakpoint
CREATE INDEX "samples_participant_t_idx" ON "samples" USING btree ("participant_id","t");--> statement-breakpoint
CREATE UNIQUE INDEX "samples_participant_seq_idx" ON "samples" USING btree ("participant_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_join_code_idx" ON "sessions" USING btree ("join_code");--> statement-breakpoint
CREATE INDEX "sessions_teacher_idx" ON "sessions" USING btree ("teacher_id","created_at");--> statement-breakpoint
CREATE INDEX "sessions_created_idx" ON "sessions" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "status_changes_session_t_idx" ON "status_changes" USING btree ("session_id","t");--> statement-breakpoint
CREATE INDEX "status_changes_participant_t_idx" ON "status_changes" USING btree ("participant_id","t");--> statement-breakpoint
CREATE UNIQUE INDEX "teachers_email_idx" ON "teachers" USING btree ("email");