-- Atomic join numbering: the session row counts its students; the next join takes count + 1.
ALTER TABLE "sessions" ADD COLUMN "participant_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "sessions" SET "participant_count" = coalesce((SELECT max("number") FROM "participants" WHERE "participants"."session_id" = "sessions"."id"), 0);--> statement-breakpoint
-- Idempotent writes: a status change replayed after a restart (same participant and seq) is stored once.
DELETE FROM "status_changes" a USING "status_changes" b WHERE a."participant_id" = b."participant_id" AND a."seq" = b."seq" AND a."seq" IS NOT NULL AND a."id" > b."id";--> statement-breakpoint
CREATE UNIQUE INDEX "status_changes_participant_seq_idx" ON "status_changes" USING btree ("participant_id","seq") WHERE seq is not null;
