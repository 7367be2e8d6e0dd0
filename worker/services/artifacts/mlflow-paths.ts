import { and, eq, isNull } from "drizzle-orm";
import { loggedModels } from "../../../schema";
import type { Db } from "../../lib/db";
import { ApiError } from "../../lib/errors";
import { getRunInTeam } from "../run-lookup";

// MLflow's proxied artifact paths name where a file lives:
//   <project id>/<run id>/artifacts/<rel>            → the run's files (run_files)
//   <project id>/models/<model id>/artifacts/<rel>   → a logged model's files
// (the artifact_uri and artifact_location the MLflow routes hand out). Any
// other shape, and a run or model that is not the team's or not in that
// project, is RESOURCE_DOES_NOT_EXIST: ids leak nothing across teams.
export type ArtifactTarget =
  | { kind: "run"; teamId: string; projectId: string; runId: string; rel: string }
  | { kind: "model"; teamId: string; projectId: string; modelId: string; rel: string };

const MAX_PATH = 1024;

/** Splits a path into safe segments, or 400s: no "..", ".", empty segments, absolute paths or backslashes. */
export function safeSegments(raw: string, what = "path"): string[] {
  // One trailing slash is how the client names a directory ("…/artifacts/").
  const path = raw.endsWith("/") ? raw.slice(0, -1) : raw;
  if (path.length > MAX_PATH) throw new ApiError("invalid_argument", `${what} must be at most ${MAX_PATH} characters`);
  if (/[\u0000-\u001F\u007F\\]/.test(path)) throw new ApiError("invalid_argument", `Invalid path: ${what} must not contain control characters or backslashes`);
  const segments = path.split("/");
  if (segments.some((s) => s === "" || s === "." || s === "..")) {
    throw new ApiError("invalid_argument", `Invalid path: ${what} must be relative, without '.', '..' or empty segments (got '${raw}')`);
  }
  return segments;
}

const missing = (raw: string) => new ApiError("not_found", `no artifact location ${raw}: expected <experiment id>/<run id>/artifacts/... or <experiment id>/models/<model id>/artifacts/...`);

export async function resolveTarget(db: Db, teamId: string, raw: string): Promise<ArtifactTarget> {
  const s = safeSegments(raw);
  const [projectId, second, third, fourth] = s;
  if (second === "models" && fourth === "artifacts" && third) {
    const [model] = await db
      .select({ id: loggedModels.id })
      .from(loggedModels)
      .where(and(eq(loggedModels.teamId, teamId), eq(loggedModels.id, third), eq(loggedModels.projectId, projectId!), isNull(loggedModels.deletedAt)))
      .limit(1);
    if (!model) throw new ApiError("not_found", `Logged model with ID '${third}' not found in experiment ${projectId}`);
    return { kind: "model", teamId, projectId: projectId!, modelId: third, rel: s.slice(4).join("/") };
  }
  if (second && third === "artifacts") {
    const run = await getRunInTeam(db, teamId, second).catch(() => null);
    if (!run || run.projectId !== projectId) throw new ApiError("not_found", `Run with id=${second} not found in experiment ${projectId}`);
    return { kind: "run", teamId, projectId: projectId!, runId: second, rel: s.slice(3).join("/") };
  }
  throw missing(raw);
}

/** The file a write names: a target whose relative path is not empty. */
export function requireFile(t: ArtifactTarget, raw: string): ArtifactTarget {
  if (!t.rel) throw new ApiError("invalid_argument", `Invalid path: ${raw} names the artifact root, not a file`);
  return t;
}

/** The target's relative path joined with more segments (each checked). */
export function withChild(t: ArtifactTarget, name: string): ArtifactTarget {
  safeSegments(name, "file name");
  return { ...t, rel: t.rel ? `${t.rel}/${name}` : name };
}
