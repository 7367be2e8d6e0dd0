import { expect } from "vitest";
import { api, type Creds, type Reply } from "./api";
import type { Team } from "./harness";

// Calls MLflow's REST API the way its client does: JSON bodies on POST/PATCH/DELETE,
// query strings on GET (repeated keys for lists).
export async function mlflow<T = any>(
  method: "GET" | "POST" | "PATCH" | "DELETE" | "PUT",
  path: string,
  opts: { creds: Creds; json?: unknown; query?: Record<string, string | number | boolean | (string | number)[]> },
): Promise<Reply<T>> {
  let url = path.startsWith("/api/") ? path : `/api/2.0/mlflow/${path.replace(/^\//, "")}`;
  if (opts.query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query)) for (const x of Array.isArray(v) ? v : [v]) qs.append(k, String(x));
    url += `?${qs}`;
  }
  return api<T>(method, url, { creds: opts.creds, json: opts.json });
}

// MLflow's error body and status: {"error_code": ..., "message": ...}.
export function expectMlflowError(res: Reply, status: number, errorCode: string, message?: RegExp) {
  expect(res.status, res.text).toBe(status);
  expect(res.body?.error_code, res.text).toBe(errorCode);
  expect(res.body?.message, res.text).toBeTypeOf("string");
  if (message) expect(res.body.message, res.text).toMatch(message);
}

// The run verbs most MLflow tests call, answering 200 or failing the test.
export const createMlflowRun = async (team: Team, json: Record<string, unknown>) => {
  const res = await mlflow("POST", "runs/create", { creds: team.creds, json });
  expect(res.status, res.text).toBe(200);
  return res.body.run;
};
export const getMlflowRun = async (team: Team, runId: string) => {
  const res = await mlflow("GET", "runs/get", { creds: team.creds, query: { run_id: runId } });
  expect(res.status, res.text).toBe(200);
  return res.body.run;
};
export const nativeRun = async (team: Team, runId: string) => {
  const res = await api("GET", `/api/v1/runs/${runId}`, { creds: team.creds });
  expect(res.status, res.text).toBe(200);
  return res.body.run;
};
export const tagsOf = (run: any) => Object.fromEntries(run.data.tags.map((t: { key: string; value: string }) => [t.key, t.value]));
export const mlflowPost = (team: Team, path: string, json: unknown) => mlflow("POST", path, { creds: team.creds, json });
