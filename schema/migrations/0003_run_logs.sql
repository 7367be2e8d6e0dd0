CREATE TABLE "run_log_batches" (
	"team_id" text NOT NULL,
	"run_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"first_n" bigint NOT NULL,
	"line_count" integer NOT NULL,
	"bytes" integer NOT NULL,
	"texts" text[] NOT NULL,
	"streams" text NOT NULL,
	"ts" bigint[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "run_log_batches_team_id_run_id_seq_pk" PRIMARY KEY("team_id","run_id","seq")
);
--> statement-breakpoint
ALTER TABLE "run_log_batches" ADD CONSTRAINT "run_log_batches_team_id_run_id_runs_team_id_id_fk" FOREIGN KEY ("team_id","run_id") REFERENCES "public"."runs"("team_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "run_log_batches_first_n_idx" ON "run_log_batches" USING btree ("team_id","run_id","first_n");