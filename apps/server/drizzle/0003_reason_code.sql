-- Protocol 2: reasons are codes with parameters ({"code":"LOOKING_AWAY","seconds":6}), stored as jsonb.
-- Older rows keep their English sentence as a JSON string (readers treat anything that is not a code as none).
ALTER TABLE "participants" ALTER COLUMN "reason" SET DATA TYPE jsonb USING to_jsonb("reason");--> statement-breakpoint
ALTER TABLE "status_changes" ALTER COLUMN "reason" SET DATA TYPE jsonb USING to_jsonb("reason");
