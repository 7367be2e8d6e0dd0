import { inject } from "vitest";

export const stack = () => inject("stack");

export type Creds = { key?: string; token?: string; cookie?: string; basic?: string };
export type Reply<T = any> = { status: number; body: T; headers: Headers; text: string };

// A thin fetch against the Worker under test; the body is parsed when it is JSON.
export async function api<T = any>(
  method: string,
  path: string,
  opts: { creds?: Creds; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  const c = opts.creds;
  if (c?.key) headers.authorization = `Bearer ${c.key}`;
  if (c?.token) headers.authorization = `Bearer ${c.token}`;
  if (c?.basic) headers.authorization = `Basic ${Buffer.from(`mlflow:${c.basic}`).toString("base64")}`;
  if (c?.cookie) headers.cookie = c.cookie;
  let body = opts.body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers["content-type"] ??= "application/json";
  }
  const res = await fetch(`${stack().url}${path}`, { method, headers, body, redirect: "manual" });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get("content-type") ?? "").includes("json") && text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: res.status, body: parsed as T, headers: res.headers, text };
}

export const randomIp = () =>
  `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

export const uniq = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

export function sessionCookie(headers: Headers): string {
  const raw = headers.getSetCookie().find((c) => c.startsWith("sl_session="));
  if (!raw) throw new Error("no session cookie was set");
  return raw.split(";")[0]!;
}
