CREATE TABLE "workspaces" (
	"team_id" text NOT NULL,
	"project_id" text NOT NULL,
	"user_id" text NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workspaces_team_id_project_id_user_id_pk" PRIMARY KEY("team_id","project_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_team_id_project_id_projects_team_id_id_fk" FOREIGN KEY ("team_id","project_id") REFERENCES "public"."projects"("team_id","id") ON DELETE cascade ON UPDATE no action;