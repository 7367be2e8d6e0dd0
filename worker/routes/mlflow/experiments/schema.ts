import { z } from "@hono/zod-openapi";
import { loneSurrogateAt } from "../../../lib/validation";
import type { Db } from "../../../lib/db";
import type { Project } from "../../../services/projects";
import { invalidParam } from "../lib/errors";
import { artifactLocation, experimentProject } from "../lib/experiments";
import { ms } from "../lib/serialize-run";

// Limits of MLflow's server (mlflow/utils/validation.py, 3.x).
export const MAX_EXPERIMENT_NAME_LENGTH = 500;
export const MAX_EXPERIMENT_TAG_KEY_LENGTH = 250;
export const MAX_EXPERIMENT_TAG_VALUE_LENGTH = 20000;

const tagSchema = z.object({ key: z.string(), value: z.string() });

export const experimentSchema = z
  .object({
    experiment_id: z.string(),
    name: z.string(),
    artifact_location: z.string(),
    lifecycle_stage: z.enum(["active", "deleted"]),
    last_update_time: z.number().int(),
    creation_time: z.number().int(),
    tags: z.array(tagSchema),
  })
  .openapi("MlflowExperiment");

export const experimentJson = (p: Project) => ({
  experiment_id: p.id,
  name: p.name,
  artifact_location: artifactLocation(p.id),
  lifecycle_stage: p.deletedAt ? ("deleted" as const) : ("active" as const),
  last_update_time: ms(p.updatedAt)!,
  creation_time: ms(p.createdAt)!,
  tags: Object.entries(p.tags ?? {}).map(([key, value]) => ({ key, value })),
});

// Ids are strings in MLflow's protos; hand-written calls send experiment 0 as a number.
export const experimentIdField = z
  .union([z.string(), z.number().int()])
  .transform(String)
  .optional()
  .openapi({ type: "string", description: "Experiment id (prj_...), or 0 for the team's Default experiment" });

export const emptyResponse = z.object({}).openapi("MlflowEmpty");

// Text Postgres cannot store as given (NUL) or would store altered (unpaired
// surrogates become U+FFFD) is refused, naming the field.
function storable(field: string, value: string) {
  if (value.includes("\u0000")) throw invalidParam(`Invalid value for parameter '${field}': must not contain NUL (\\u0000)`);
  if (loneSurrogateAt(value) >= 0) throw invalidParam(`Invalid value for parameter '${field}': must be valid Unicode (unpaired surrogate)`);
}

// MLflow names are free text: non-empty, at most 500 characters. A name
// shaped like a project id would read as an id on the native routes.
export function checkExperimentName(name: string, field = "name"): string {
  if (name === "") throw invalidParam(`Invalid experiment name: '${name}'`);
  if (name.length > MAX_EXPERIMENT_NAME_LENGTH) {
    throw invalidParam(`'${field}' exceeds the maximum length of ${MAX_EXPERIMENT_NAME_LENGTH} characters`);
  }
  storable(field, name);
  if (/^[a-z]+_[0-9A-Za-z]{20}$/.test(name)) throw invalidParam(`Invalid experiment name: '${name}' looks like an id; choose another name`);
  return name;
}

// MLflow's tag-key rule: alphanumerics, '_', '-', '.', ' ', ':', '/', and the
// key must not change when read as a file path ("a//b", "../x", "/x", ".").
function normalizesTo(key: string): string {
  const abs = key.startsWith("/");
  const out: string[] = [];
  for (const part of key.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && out.length && out[out.length - 1] !== "..") out.pop();
    else if (!(part === ".." && abs)) out.push(part);
  }
  const joined = (abs ? "/" : "") + out.join("/");
  return joined || (abs ? "/" : ".");
}

export function checkTag(key: string, value: string, where = "") {
  const keyField = `${where}key`;
  const valueField = `${where}value`;
  if (!/^[/\p{L}\p{N}_.\- :]*$/u.test(key)) {
    throw invalidParam(
      `Invalid value ${JSON.stringify(key)} for parameter '${keyField}' supplied: Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`,
    );
  }
  const norm = normalizesTo(key);
  if (norm !== key || norm === "." || norm.startsWith("..") || norm.startsWith("/")) {
    throw invalidParam(
      `Invalid value ${JSON.stringify(key)} for parameter '${keyField}' supplied: Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${norm}'`,
    );
  }
  if (key.length > MAX_EXPERIMENT_TAG_KEY_LENGTH) {
    throw invalidParam(`'${keyField}' exceeds the maximum length of ${MAX_EXPERIMENT_TAG_KEY_LENGTH} characters`);
  }
  if (value.length > MAX_EXPERIMENT_TAG_VALUE_LENGTH) {
    throw invalidParam(`'${valueField}' exceeds the maximum length of ${MAX_EXPERIMENT_TAG_VALUE_LENGTH} characters`);
  }
  storable(valueField, value);
}

// The experiment, active, or MLflow's INVALID_PARAMETER_VALUE for a deleted one.
export async function activeExperiment(db: Db, teamId: string, experimentId: string): Promise<Project> {
  const p = await experimentProject(db, teamId, experimentId);
  if (p.deletedAt) {
    throw invalidParam(`The experiment ${experimentId} must be in the 'active' state. Current state is deleted.`);
  }
  return p;
}
