import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { api, type Creds } from "./helpers/api";
import { makeKey, makeTeam } from "./helpers/harness";
import { fillPath, makeFixture, routeTable, type Fixture, type RouteCase } from "./helpers/route-table";

// Controls for tests/security.test.ts. Its loop proves that another team gets
// 404 on every filled-in path; that proves nothing if the path names nothing,
// so here the owner's own keys must reach every route. And the loop only
// covers routes the OpenAPI document lists, so here nothing may be served
// outside the document.

const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

const send = (rc: RouteCase, f: Fixture, creds: Creds | undefined) =>
  api(rc.method, fillPath(rc, f), { creds, json: rc.body?.(f) ?? (rc.method === "GET" || rc.method === "DELETE" ? undefined : {}) });

// Deletes run on a fixture of their own, so no route run before them can have
// made what they name (PUT makes the alias `best` that DELETE names): deepest
// path first (at equal depth alphabetically, so an alias goes before the
// version it names), the project after everything in it.
const depth = (rc: RouteCase) => rc.path.split("/").length;
const deletes = routeTable
  .filter((rc) => rc.method === "DELETE")
  .sort((a, b) => Number(a.path === "/api/v1/projects/{project}") - Number(b.path === "/api/v1/projects/{project}") || depth(b) - depth(a) || a.path.localeCompare(b.path));
const others = routeTable.filter((rc) => rc.method !== "DELETE");

// Each route gets a key with only the scope the table gives it, so a table
// that understates a route's scope fails here as well. Any answer but 404 for
// a filled-in path; a route without one must at least be served (not the
// app's "no route for" 404). Read and write routes must also not refuse their
// own scope (admin routes may refuse everyone: adding by email is refused). A
// 5xx is a bug anywhere.
type Keys = Record<"read" | "write" | "admin", string>;

async function expectReached(rc: RouteCase, f: Fixture, keys: Keys) {
  const res = await send(rc, f, rc.scope === "public" ? undefined : { key: keys[rc.scope] });
  expect(res.status, res.text).toBeLessThan(500);
  if (rc.path.includes("{") || rc.owned) expect(res.status, res.text).not.toBe(404);
  else expect(res.body?.error?.message ?? res.body?.message ?? "", res.text).not.toMatch(/^no route for /);
  if ((rc.scope === "read" || rc.scope === "write") && !rc.sessionOnly) expect([401, 403], res.text).not.toContain(res.status);
}

describe.each([
  ["every route but DELETE", others],
  ["every DELETE", deletes],
] as const)("the owner's own keys on %s", (_, routes) => {
  let own: Fixture;
  let keys: Keys;
  beforeAll(async () => {
    own = await makeFixture();
    const [read, write] = [(await makeKey(own.team, ["read"])).key, (await makeKey(own.team, ["read", "write"])).key];
    keys = { read, write, admin: own.team.key };
  });
  test.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))("%s is served and finds what its path names", async (_, rc) => {
    await expectReached(rc, own, keys);
  });
});

// Fails if a documented path answers a method the document does not list with
// anything but the app's own "no route for" 404: a handler registered there
// outside the OpenAPI routes. Resources need not exist for this, so the
// parameters are placeholders.
test("documented paths answer undocumented methods with the app's no-route 404", async () => {
  const byPath = new Map<string, Set<string>>();
  for (const rc of routeTable) byPath.set(rc.path, (byPath.get(rc.path) ?? new Set()).add(rc.method));
  const owner = await makeTeam("Probe");
  const served: string[] = [];
  for (const [path, documented] of byPath) {
    const url = path.replace(/\{\w+\}/g, "probe");
    for (const m of methods.filter((x) => !documented.has(x))) {
      const res = await api(m, url, { creds: owner.creds, json: m === "GET" || m === "DELETE" ? undefined : {} });
      if (res.status !== 404 || !/^no route for /.test(res.body?.error?.message ?? res.body?.message ?? "")) served.push(`${m} ${path} → ${res.status} ${res.text.slice(0, 120)}`);
    }
  }
  expect(served).toEqual([]);
});

// A new path the document lacks cannot be found by probing, so the source is
// read: every route the Worker serves must come from createRoute + .openapi(),
// which the document lists by construction. These are the other ways Hono
// serves a request, each of which would escape the document and the security
// loop. (Middleware registered with .use() can answer too; ours only checks
// and passes on, and a handler that answered there would show in the probe above.)
const escapes: [RegExp, string][] = [
  [/\.(get|post|put|patch|delete|all|options|head)\(\s*["'`][/*]/, "a plain Hono verb with a path"],
  [/\.on\(\s*(\[|["'`][A-Z]+["'`])/, "app.on(method, path)"],
  [/\.mount\(/, "a mounted fetch handler"],
  [/\bhide\s*:\s*true/, "a route hidden from the document"],
  [/\.doc(31)?\(\s*["'`](?!\/api\/openapi\.json["'`])/, "a second OpenAPI document"],
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

test("the Worker registers no route outside the OpenAPI routes", () => {
  // The patterns must catch what they name, or the scan passes vacuously.
  const bad = ['router.get("/runs/:run/secret", h)', "app.all('*', h)", 'app.on(["GET"], "/x", h)', "app.mount('/x', f)", "hide: true", 'app.doc("/docs", {})'];
  for (const line of bad) expect(escapes.some(([re]) => re.test(line)), line).toBe(true);
  const fine = ['c.get("db")', 'req.headers.get("content-length")', 'pool.on("error", f)', 'app.doc31("/api/openapi.json", {})', "router.openapi(route, h)"];
  for (const line of fine) expect(escapes.some(([re]) => re.test(line)), line).toBe(false);
  const found: string[] = [];
  for (const file of sources(join(import.meta.dirname, "..", "worker"))) {
    // The one non-API handler: /share/* HTML pages (link previews, framing),
    // which read nothing but a live link's title (tests/share-page.test.ts).
    if (file.includes(`${join("routes", "share-page")}/`)) continue;
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, i) => {
        for (const [re, what] of escapes) if (re.test(line)) found.push(`${file}:${i + 1}: ${what}: ${line.trim()}`);
      });
  }
  expect(found).toEqual([]);
});
