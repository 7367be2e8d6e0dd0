import type { Db } from "../../../lib/db";
import { ensureProject, getProjectInTeam, type Project } from "../../../services/projects";
import { doesNotExist } from "./errors";

// MLflow experiment = Sightline project; the experiment id is the project id.
// Every MLflow server has experiment "0", named "Default", where runs go when
// the client names no experiment: here "0" is an alias of the team's project
// named "Default", made on first use. Ids are opaque strings to MLflow clients.
export const DEFAULT_EXPERIMENT_ID = "0";
export const DEFAULT_EXPERIMENT_NAME = "Default";

// Resolves an experiment id within the team, or RESOURCE_DOES_NOT_EXIST.
// Soft-deleted projects are returned too; callers that need an active one check deletedAt.
export async function experimentProject(db: Db, teamId: string, experimentId: string): Promise<Project> {
  if (experimentId === DEFAULT_EXPERIMENT_ID) return ensureProject(db, teamId, DEFAULT_EXPERIMENT_NAME);
  if (!experimentId.startsWith("prj_")) throw doesNotExist(`Could not find experiment with ID ${experimentId}`);
  try {
    return await getProjectInTeam(db, teamId, experimentId);
  } catch {
    throw doesNotExist(`Could not find experiment with ID ${experimentId}`);
  }
}

export const artifactLocation = (projectId: string) => `mlflow-artifacts:/${projectId}`;
