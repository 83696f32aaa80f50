-- Server analysis (issue 14): a session may let devices that cannot analyse send frames to the server.
ALTER TABLE "sessions" ADD COLUMN "server_analysis" boolean DEFAULT false NOT NULL;