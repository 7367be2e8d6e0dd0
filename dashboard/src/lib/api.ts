// The one way the dashboard talks to the Worker: same-origin fetch with the
// session cookie, errors turned into ApiFailure with the server's message.
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | undefined | null | (string | number)[]>;

export function qs(q: Query): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === "") continue;
    if (Array.isArray(v)) for (const x of v) p.append(k, String(x));
    else p.append(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : "";
}

export async function api<T = any>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      signal,
      credentials: "same-origin",
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    throw new ApiFailure(0, "network", "Cannot reach the Sightline server. Check your connection and try again.");
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: any = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // A non-JSON reply (a proxy error page) still becomes a readable failure below.
  }
  if (!res.ok) {
    const e = json?.error;
    const failure = new ApiFailure(res.status, e?.code ?? "http_error", e?.message ?? `The server answered ${res.status}.`, e?.request_id);
    if (res.status === 401) window.dispatchEvent(new CustomEvent("sl:unauthenticated"));
    throw failure;
  }
  return json as T;
}

export const get = <T = any>(path: string, signal?: AbortSignal) => api<T>("GET", path, undefined, signal);
