// The benchmark's view of the API: plain fetch with the bench team's key,
// and a clear error when a route the bench needs is not in the Worker yet.

export class RouteMissingError extends Error {}

// Method and OpenAPI path (parameter names ignored) of every route the bench uses.
export const REQUIRED_ROUTES: [string, string][] = [
  ["post", "/api/v1/projects/{}/runs"],
  ["get", "/api/v1/projects/{}/runs"],
  ["post", "/api/v1/runs/{}/metrics"],
  ["get", "/api/v1/runs/{}/metrics"],
  ["get", "/api/v1/runs/{}/metrics/points"],
  ["get", "/api/v1/metrics/buckets"],
];

export type Api = {
  url: string;
  key: string;
  teamId: string;
  call<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  // A pre-serialized body, for the raw ingest figures; resolves with the status.
  post(path: string, body: string): Promise<number>;
};

// Requests answered 503 and re-sent (the same body, so the same seq): wrangler
// dev restarts the Worker when a source file changes. Reported with the figures.
export const resent = { count: 0 };

async function send(url: string, init: RequestInit): Promise<{ res: Response; text: string }> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(url, init);
    const text = await res.text();
    if (res.status !== 503 || attempt === 5) return { res, text };
    resent.count++;
    await new Promise((r) => setTimeout(r, 200 * attempt));
  }
}

export function makeApi(url: string, key: string, teamId: string): Api {
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  return {
    url,
    key,
    teamId,
    async call(method, path, body) {
      const { res, text } = await send(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      if (!res.ok) {
        if (res.status === 404 && text.includes("no route for")) throw new RouteMissingError(`route missing: ${method} ${path}`);
        throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
      }
      return (text ? JSON.parse(text) : undefined) as any;
    },
    async post(path, body) {
      const { res, text } = await send(url + path, { method: "POST", headers, body });
      if (!res.ok) throw new Error(`POST ${path} → ${res.status}: ${text.slice(0, 300)}`);
      return res.status;
    },
  };
}

// Lists the required routes that /api/openapi.json does not have.
export async function missingRoutes(url: string): Promise<string[]> {
  const doc = (await (await fetch(`${url}/api/openapi.json`)).json()) as { paths?: Record<string, Record<string, unknown>> };
  const have = new Set<string>();
  for (const [path, ops] of Object.entries(doc.paths ?? {})) {
    for (const method of Object.keys(ops)) have.add(`${method} ${path.replace(/\{[^}]*\}/g, "{}")}`);
  }
  return REQUIRED_ROUTES.map(([m, p]) => `${m} ${p}`).filter((r) => !have.has(r));
}

// A new team (and its write key) for this bench run.
export async function signUp(url: string): Promise<Api> {
  const res = await fetch(`${url}/api/v1/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": "10.99.0.1" },
    body: JSON.stringify({ email: `bench-${Date.now()}@example.com`, password: "correct horse battery staple", team_name: "Bench" }),
  });
  const body = (await res.json()) as { api_key?: { key: string }; team?: { id: string } };
  if (res.status !== 201 || !body.api_key) throw new Error(`signup → ${res.status}: ${JSON.stringify(body)}`);
  return makeApi(url, body.api_key.key, body.team!.id);
}

export async function createProject(api: Api, name: string): Promise<string> {
  const res = await api.call<{ project: { id: string } }>("POST", "/api/v1/projects", { name });
  return res.project.id;
}

export async function createRun(api: Api, project: string, name: string, config: Record<string, unknown> = {}): Promise<string> {
  const res = await api.call<{ run: { id: string } }>("POST", `/api/v1/projects/${encodeURIComponent(project)}/runs`, { name, config });
  return res.run.id;
}

// One metric batch body as the contract spells it: `keys` keys, `perKey`
// consecutive steps each, starting at step `from`. Timestamps are what the
// SDK's Date.now() gives a loop logging a step every 100 ms: each stamp off
// the grid by up to ±3…±20 ms (the bound drawn per batch), never regular.
export function batchBody(seq: number, keys: string[], from: number, perKey: number, value: (key: string, step: number) => number): string {
  const metrics: Record<string, { steps: number[]; values: number[]; timestamps: number[] }> = {};
  const jitter = 3 + ((seq * 7919) % 18);
  let x = seq + 1;
  const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (const key of keys) {
    const steps: number[] = [];
    const values: number[] = [];
    const timestamps: number[] = [];
    for (let s = from; s < from + perKey; s++) {
      steps.push(s);
      values.push(value(key, s));
      timestamps.push(SDK_T0 + s * 100 + Math.round((rnd() * 2 - 1) * jitter));
    }
    metrics[key] = { steps, values, timestamps };
  }
  return JSON.stringify({ seq, metrics });
}

const SDK_T0 = 1_700_000_000_000;

// A noisy, decaying training loss: realistic bits for the storage figure.
export const lossAt = (step: number) => 2 * Math.exp(-step / 200_000) + 0.05 * Math.random();
