import type { Db } from "../../lib/db";
import { ApiError } from "../../lib/errors";
import { findLoggedModel, loggedModelLocation } from "../logged-models";
import { getRunInTeam } from "../run-lookup";

// Where a model version's files are. MLflow's server refuses sources that
// could reach outside what the version's run or logged model owns; here that
// is also the tenancy boundary: a version may only point at the team's own run
// or logged model, and its download URI is then resolved inside that team.

const bad = (msg: string) => new ApiError("invalid_argument", msg);

export const runArtifactRoot = (projectId: string, runId: string) => `mlflow-artifacts:/${projectId}/${runId}/artifacts`;

const invalidSource = (source: string, idName: string) =>
  bad(`Invalid model version source: '${source}'. The ${idName} request parameter must identify the resource that contains the source.`);

const LOGGED_MODEL_URI = /^models:\/(m-[0-9a-f]{32})\/?$/;

// Splits a URI into scheme and path segments, undoing percent-encoding so that
// an encoded "..", or a doubled slash, cannot hide a path outside the root.
function parts(uri: string): { scheme: string; segments: string[] } {
  let s = uri;
  for (let i = 0; i < 5; i++) {
    let next: string;
    try {
      next = decodeURIComponent(s);
    } catch {
      break;
    }
    if (next === s) break;
    s = next;
  }
  const m = /^([a-zA-Z][\w+.-]*):(.*)$/.exec(s);
  const scheme = m ? m[1]!.toLowerCase() : "";
  const rest = m ? m[2]! : s;
  return { scheme, segments: rest.split("/").filter(Boolean) };
}

const within = (source: string, root: string) => {
  const a = parts(source);
  const b = parts(root);
  return a.scheme === b.scheme && b.segments.every((seg, i) => a.segments[i] === seg);
};

export type ResolvedSource = { source: string; runId: string | null; loggedModelId: string | null };

export async function checkVersionSource(
  db: Db,
  teamId: string,
  input: { source: string; runId?: string; modelId?: string },
): Promise<ResolvedSource> {
  const { source } = input;
  let runId = input.runId || null;
  let modelId = input.modelId || null;
  const { scheme, segments } = parts(source);
  if (source.includes("\u0000") || segments.includes("..")) {
    throw bad(
      `Invalid model version source: '${source}'. If supplying a source as an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path references present. Please provide an absolute path.`,
    );
  }
  if (scheme === "" || scheme === "file") {
    throw bad(
      `Invalid model version source: '${source}'. To use a local path as a model version source, the run_id request parameter has to be specified and the local path has to be contained within the artifact directory of the run specified by the run_id.`,
    );
  }
  const logged = LOGGED_MODEL_URI.exec(source);
  if (logged) {
    // The client sends model_id with a models:/<id> source; a hand-made call may leave it out.
    if (modelId && modelId !== logged[1]) throw invalidSource(source, "model_id");
    modelId = logged[1]!;
  }
  if (scheme === "runs") {
    const runMatch = /^runs:\/([^/]+)(\/.*)?$/.exec(source);
    if (!runMatch || (runId && runId !== runMatch[1])) throw invalidSource(source, "run_id");
    runId = runMatch[1]!;
  }
  if (modelId) {
    const model = await findLoggedModel(db, teamId, modelId);
    if (!model) throw invalidSource(source, "model_id");
    if (scheme === "mlflow-artifacts" && !within(source, loggedModelLocation(model))) throw invalidSource(source, "model_id");
  }
  if (runId) {
    const run = await getRunInTeam(db, teamId, runId).catch(() => null);
    if (!run) throw invalidSource(source, "run_id");
    if (scheme === "mlflow-artifacts" && !modelId && !within(source, runArtifactRoot(run.projectId, run.id))) {
      throw invalidSource(source, "run_id");
    }
  }
  if (scheme === "mlflow-artifacts" && !runId && !modelId) throw invalidSource(source, "run_id");
  if (scheme === "models" && !logged) {
    throw bad(`Invalid model version source: '${source}'. Only models:/<model_id> sources of logged models are supported here.`);
  }
  return { source, runId, loggedModelId: modelId };
}

// MLflow answers a version's source; sources that are aliases of a location
// (models:/<id>, runs:/<run>/<path>) answer the location, as the client needs
// a URI its artifact repository can read.
export async function downloadUri(db: Db, teamId: string, v: { source: string; loggedModelId: string | null }): Promise<string> {
  const logged = LOGGED_MODEL_URI.exec(v.source);
  if (logged) {
    const model = await findLoggedModel(db, teamId, logged[1]!, true);
    if (model) return loggedModelLocation(model);
  }
  const runMatch = /^runs:\/([^/]+)\/?(.*)$/.exec(v.source);
  if (runMatch) {
    const run = await getRunInTeam(db, teamId, runMatch[1]!).catch(() => null);
    if (run) return `${runArtifactRoot(run.projectId, run.id)}${runMatch[2] ? `/${runMatch[2]}` : ""}`;
  }
  return v.source;
}
