CREATE TABLE "artifact_aliases" (
	"team_id" text NOT NULL,
	"artifact_id" text NOT NULL,
	"alias" text NOT NULL,
	"version_id" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "artifact_aliases_team_id_artifact_id_alias_pk" PRIMARY KEY("team_id","artifact_id","alias")
);
--> statement-breakpoint
CREATE TABLE "artifact_files" (
	"team_id" text NOT NULL,
	"version_id" text NOT NULL,
	"path" text NOT NULL,
	"sha256" text NOT NULL,
	"size" bigint NOT NULL,
	CONSTRAINT "artifact_files_team_id_version_id_path_pk" PRIMARY KEY("team_id","version_id","path")
);
--> statement-breakpoint
CREATE TABLE "artifact_versions" (
	"team_id" text NOT NULL,
	"id" text NOT NULL,
	"artifact_id" text NOT NULL,
	"version" integer,
	"state" text DEFAULT 'pending' NOT NULL,
	"size" bigint NOT NULL,
	"file_count" integer NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"pending_aliases" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"committed_at" timestamp with time zone,
	CONSTRAINT "artifact_versions_team_id_id_pk" PRIMARY KEY("team_id","id")
);
--> statement-breakpoint
CREATE TABLE "artifacts" (
	"team_id" text NOT NULL,
	"id" text NOT NULL,
	"project_id" text NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"last_version" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "artifacts_team_id_id_pk" PRIMARY KEY("team_id","id")
);
--> statement-breakpoint
CREATE TABLE "objects" (
	"team_id" text NOT NULL,
	"sha256" text NOT NULL,
	"size" bigint NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"upload_id" text,
	"part_size" bigint,
	"touched_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "objects_team_id_sha256_pk" PRIMARY KEY("team_id","sha256")
);
--> statement-breakpoint
CREATE TABLE "run_artifacts" (
	"team_id" text NOT NULL,
	"run_id" text NOT NULL,
	"version_id" text NOT NULL,
	"direction" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "run_artifacts_team_id_run_id_direction_version_id_pk" PRIMARY KEY("team_id","run_id","direction","version_id")
);
--> statement-breakpoint
CREATE TABLE "run_files" (
	"team_id" text NOT NULL,
	"run_id" text NOT NULL,
	"path" text NOT NULL,
	"sha256" text NOT NULL,
	"size" bigint NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "run_files_team_id_run_id_path_pk" PRIMARY KEY("team_id","run_id","path")
);
--> statement-breakpoint
ALTER TABLE "artifact_aliases" ADD CONSTRAINT "artifact_aliases_team_id_artifact_id_artifacts_team_id_id_fk" FOREIGN KEY ("team_id","artifact_id") REFERENCES "public"."artifacts"("team_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "artifact_aliases" ADD CONSTRAINT "artifact_aliases_team_id_version_id_artifact_versions_team_id_id_fk" FOREIGN KEY ("team_id","version_id") REFERENCES "public"."artifact_versions"("team_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "artifact_files" ADD CONSTRAINT "artifact_files_team_id_version_id_artifact_versions_team_id_id_fk" FOREIGN KEY ("team_id","version_id") REFERENCES "public"."artifact_versions"("team_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "artifact_versions" ADD CONSTRAINT "artifact_versions_team_id_artifact_id_artifacts_team_id_id_fk" FOREIGN KEY ("team_id","artifact_id") REFERENCES "public"."artifacts"("team_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "artifacts" ADD CONSTRAINT "artifacts_team_id_project_id_projects_team_id_id_fk" FOREIGN KEY ("team_id","project_id") REFERENCES "public"."projects"("team_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_artifacts" ADD CONSTRAINT "run_artifacts_team_id_run_id_runs_team_id_id_fk" FOREIGN KEY ("team_id","run_id") REFERENCES "public"."runs"("team_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_artifacts" ADD CONSTRAINT "run_artifacts_team_id_version_id_artifact_versions_team_id_id_fk" FOREIGN KEY ("team_id","version_id") REFERENCES "public"."artifact_versions"("team_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_files" ADD CONSTRAINT "run_files_team_id_run_id_runs_team_id_id_fk" FOREIGN KEY ("team_id","run_id") REFERENCES "public"."runs"("team_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "artifact_aliases_team_version_idx" ON "artifact_aliases" USING btree ("team_id","version_id");--> statement-breakpoint
CREATE INDEX "artifact_files_team_sha_idx" ON "artifact_files" USING btree ("team_id","sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "artifact_versions_team_artifact_version_idx" ON "artifact_versions" USING btree ("team_id","artifact_id","version");--> statement-breakpoint
CREATE INDEX "artifact_versions_team_state_created_idx" ON "artifact_versions" USING btree ("team_id","state","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "artifacts_team_project_name_idx" ON "artifacts" USING btree ("team_id","project_id","name");--> statement-breakpoint
CREATE INDEX "objects_team_touched_idx" ON "objects" USING btree ("team_id","touched_at");--> statement-breakpoint
CREATE INDEX "run_artifacts_team_version_idx" ON "run_artifacts" USING btree ("team_id","version_id","direction");--> statement-breakpoint
CREATE INDEX "run_files_team_sha_idx" ON "run_files" USING btree ("team_id","sha256");