// The one way the dashboard talks to the Worker: same-origin fetch with the
// session cookie, errors turned into ApiFailure with the server's message.
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
    readonly details?: any,
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

// On a share page (/share/<token>) every read goes out with the link's token
// instead of the session cookie: the visitor may have no session at all.
let shareToken: string | null = null;
export function setShareToken(token: string | null) {
  shareToken = token;
}

export async function api<T = any>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      signal,
      credentials: shareToken ? "omit" : "same-origin",
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(shareToken ? { authorization: `Bearer ${shareToken}` } : {}),
      },
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
    const failure = new ApiFailure(res.status, e?.code ?? "http_error", e?.message ?? `The server answered ${res.status}.`, e?.request_id, e?.details);
    if (res.status === 401 && !shareToken) window.dispatchEvent(new CustomEvent("sl:unauthenticated"));
    throw failure;
  }
  return json as T;
}

export const get = <T = any>(path: string, signal?: AbortSignal) => api<T>("GET", path, undefined, signal);
