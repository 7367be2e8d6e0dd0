CREATE TABLE "logged_model_files" (
	"team_id" text NOT NULL,
	"model_id" text NOT NULL,
	"path" text NOT NULL,
	"sha256" text NOT NULL,
	"size" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "logged_model_files_team_id_model_id_path_pk" PRIMARY KEY("team_id","model_id","path")
);
--> statement-breakpoint
CREATE TABLE "logged_models" (
	"team_id" text NOT NULL,
	"id" text NOT NULL,
	"project_id" text NOT NULL,
	"name" text NOT NULL,
	"source_run_id" text,
	"model_type" text,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"status_message" text,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"tags" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"metrics" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "logged_models_team_id_id_pk" PRIMARY KEY("team_id","id")
);
--> statement-breakpoint
CREATE TABLE "model_aliases" (
	"team_id" text NOT NULL,
	"model_id" text NOT NULL,
	"alias" text NOT NULL,
	"version" integer NOT NULL,
	CONSTRAINT "model_aliases_team_id_model_id_alias_pk" PRIMARY KEY("team_id","model_id","alias")
);
--> statement-breakpoint
CREATE TABLE "model_versions" (
	"team_id" text NOT NULL,
	"model_id" text NOT NULL,
	"version" integer NOT NULL,
	"source" text NOT NULL,
	"run_id" text,
	"run_link" text DEFAULT '' NOT NULL,
	"logged_model_id" text,
	"status" text DEFAULT 'READY' NOT NULL,
	"stage" text DEFAULT 'None' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"tags" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_versions_team_id_model_id_version_pk" PRIMARY KEY("team_id","model_id","version")
);
--> statement-breakpoint
CREATE TABLE "registered_models" (
	"team_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"tags" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"last_version" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "registered_models_team_id_id_pk" PRIMARY KEY("team_id","id")
);
--> statement-breakpoint
CREATE TABLE "run_datasets" (
	"team_id" text NOT NULL,
	"run_id" text NOT NULL,
	"name" text NOT NULL,
	"digest" text NOT NULL,
	"source_type" text NOT NULL,
	"source" text NOT NULL,
	"schema" text,
	"profile" text,
	"tags" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "run_datasets_team_id_run_id_name_digest_pk" PRIMARY KEY("team_id","run_id","name","digest")
);
--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "tags" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "kv_tags" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "parent_id" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "logged_model_files" ADD CONSTRAINT "logged_model_files_team_id_model_id_logged_models_team_id_id_fk" FOREIGN KEY ("team_id","model_id") REFERENCES "public"."logged_models"("team_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "logged_models" ADD CONSTRAINT "logged_models_team_id_project_id_projects_team_id_id_fk" FOREIGN KEY ("team_id","project_id") REFERENCES "public"."projects"("team_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_team_id_model_id_version_model_versions_team_id_model_id_version_fk" FOREIGN KEY ("team_id","model_id","version") REFERENCES "public"."model_versions"("team_id","model_id","version") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_team_id_model_id_registered_models_team_id_id_fk" FOREIGN KEY ("team_id","model_id") REFERENCES "public"."registered_models"("team_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_datasets" ADD CONSTRAINT "run_datasets_team_id_run_id_runs_team_id_id_fk" FOREIGN KEY ("team_id","run_id") REFERENCES "public"."runs"("team_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "logged_model_files_team_sha_idx" ON "logged_model_files" USING btree ("team_id","sha256");--> statement-breakpoint
CREATE INDEX "logged_models_team_project_created_idx" ON "logged_models" USING btree ("team_id","project_id","created_at");--> statement-breakpoint
CREATE INDEX "model_versions_team_run_idx" ON "model_versions" USING btree ("team_id","run_id");--> statement-breakpoint
CREATE UNIQUE INDEX "registered_models_team_name_idx" ON "registered_models" USING btree ("team_id","name");