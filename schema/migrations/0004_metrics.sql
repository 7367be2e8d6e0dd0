CREATE TABLE "metric_batches" (
	"team_id" text NOT NULL,
	"run_id" text NOT NULL,
	"seq" bigint NOT NULL,
	CONSTRAINT "metric_batches_team_id_run_id_seq_pk" PRIMARY KEY("team_id","run_id","seq")
);
--> statement-breakpoint
CREATE TABLE "metric_chunks" (
	"team_id" text NOT NULL,
	"series_id" bigint NOT NULL,
	"step_min" bigint NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "metric_chunks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"step_max" bigint NOT NULL,
	"count" integer NOT NULL,
	"seq" bigint NOT NULL,
	"v_min" double precision,
	"v_max" double precision,
	"v_last" double precision NOT NULL,
	"t_min" bigint NOT NULL,
	"t_max" bigint NOT NULL,
	"t_monotone" boolean NOT NULL,
	"payload" "bytea" NOT NULL,
	CONSTRAINT "metric_chunks_team_id_series_id_step_min_id_pk" PRIMARY KEY("team_id","series_id","step_min","id")
);
--> statement-breakpoint
CREATE TABLE "metric_series" (
	"team_id" text NOT NULL,
	"run_id" text NOT NULL,
	"key" text NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "metric_series_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"needs_compaction" boolean DEFAULT false NOT NULL,
	CONSTRAINT "metric_series_team_id_run_id_key_pk" PRIMARY KEY("team_id","run_id","key"),
	CONSTRAINT "metric_series_team_id_id_key" UNIQUE("team_id","id")
);
--> statement-breakpoint
ALTER TABLE "metric_batches" ADD CONSTRAINT "metric_batches_team_id_run_id_runs_team_id_id_fk" FOREIGN KEY ("team_id","run_id") REFERENCES "public"."runs"("team_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_chunks" ADD CONSTRAINT "metric_chunks_team_id_series_id_metric_series_team_id_id_fk" FOREIGN KEY ("team_id","series_id") REFERENCES "public"."metric_series"("team_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_series" ADD CONSTRAINT "metric_series_team_id_run_id_runs_team_id_id_fk" FOREIGN KEY ("team_id","run_id") REFERENCES "public"."runs"("team_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "metric_series_compaction_idx" ON "metric_series" USING btree ("team_id","id") WHERE needs_compaction;