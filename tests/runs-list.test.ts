import { beforeAll, describe, expect, test } from "vitest";
import { api, uniq } from "./helpers/api";
import { sql } from "./helpers/db";
import { expectError, makeTeam, type Team } from "./helpers/harness";

// One project of 23 runs with many ties, missing values and a NaN, so every
// order_by kind is paged across several pages and across its ties.
type Seed = { id: string; name: string; i: number; lr: number; opt: string; depth?: number; loss?: number | string; status: string; tags: string[] };

let team: Team;
let project: string;
const seeds: Seed[] = [];

beforeAll(async () => {
  team = await makeTeam("List");
  project = `list-${uniq()}`;
  for (let i = 0; i < 23; i++) {
    const config: Record<string, unknown> = { i, lr: [0.1, 0.01, 0.001][i % 3], opt: i % 2 ? "adam" : "sgd" };
    if (i % 4 !== 0) config.model = { depth: i % 5 };
    const tags = [i % 2 ? "odd" : "even", ...(i % 3 === 0 ? ["third"] : [])];
    const res = await api("POST", `/api/v1/projects/${project}/runs`, { creds: team.creds, json: { name: `run-${i % 7}`, config, tags } });
    expect(res.status, res.text).toBe(201);
    const loss = i % 6 === 5 ? undefined : i === 4 ? "NaN" : Math.round((i % 8) * 10) / 10;
    const seed: Seed = { id: res.body.run.id, name: `run-${i % 7}`, i, lr: config.lr as number, opt: config.opt as string, loss, status: "running", tags };
    if (i % 4 !== 0) seed.depth = i % 5;
    seeds.push(seed);
  }
  const summary = (s: Seed) => (s.loss === undefined ? {} : { loss: { last: s.loss, min: s.loss, max: 9, step: 1, count: 2 }, "train/acc": { last: s.i } });
  // Three creation times from one base (now() would differ per statement), so
  // created_at really ties; summary is written as metric ingest would.
  const base = new Date().toISOString();
  for (const s of seeds) {
    await sql(`update runs set summary = $1::jsonb, created_at = $4::timestamptz - make_interval(secs => $2) where id = $3`, [
      JSON.stringify(summary(s)),
      s.i % 3,
      s.id,
      base,
    ]);
  }
  for (const s of seeds.filter((x) => x.i % 5 === 0)) {
    const res = await api("POST", `/api/v1/runs/${s.id}/finish`, { creds: team.creds, json: { status: "failed" } });
    expect(res.status).toBe(200);
    s.status = "failed";
  }
});

const list = (query: string) => api("GET", `/api/v1/projects/${project}/runs?${query}`, { creds: team.creds });

async function allPages(query: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const res = await list(`${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    expect(res.status, res.text).toBe(200);
    ids.push(...res.body.runs.map((r: { id: string }) => r.id));
    cursor = res.body.next_cursor;
    if (!cursor) break;
    expect(res.body.runs).toHaveLength(limit);
  }
  return ids;
}

const orders = ["created_at", "-created_at", "name", "-name", "status", "-status", "config.lr", "-config.lr", "config.opt", "config.model.depth", "-config.model.depth", "summary.loss.min", "-summary.loss.min", "summary.train/acc.last"];

// The value each order_by sorts a seed by, from what the test wrote: NaN for
// the summary's "NaN", undefined where the run has no such value.
function sortValue(s: Seed, field: string): number | string | undefined {
  if (field === "created_at") return -(s.i % 3);
  if (field === "name") return s.name;
  if (field === "status") return s.status;
  if (field === "config.lr") return s.lr;
  if (field === "config.opt") return s.opt;
  if (field === "config.model.depth") return s.depth;
  if (field === "summary.loss.min") return s.loss === "NaN" ? NaN : (s.loss as number | undefined);
  if (field === "summary.train/acc.last") return s.loss === undefined ? undefined : s.i;
  throw new Error(`no expected order for ${field}`);
}

// The order docs/api/tracking.md promises: by the value (numbers numerically,
// NaN above every number, text in the database's collation), runs without the
// value last in both directions, ties by id in the direction of the sort.
// Text ranks come from the database, whose collation need not be JavaScript's.
async function expectedOrder(order: string): Promise<string[]> {
  const desc = order.startsWith("-");
  const field = desc ? order.slice(1) : order;
  const texts = [...new Set(seeds.flatMap((s) => [s.id, s.name, s.status, s.opt]))];
  const ranked = await sql<{ t: string }>(`select t from unnest($1::text[]) t order by t`, [texts]);
  const rank = new Map(ranked.map((r, i) => [r.t, i]));
  const cmp = (a: number | string, b: number | string) => {
    if (typeof a === "string" && typeof b === "string") return rank.get(a)! - rank.get(b)!;
    if (Number.isNaN(a) || Number.isNaN(b)) return Number(Number.isNaN(a)) - Number(Number.isNaN(b));
    return (a as number) - (b as number);
  };
  const dir = desc ? -1 : 1;
  return [...seeds]
    .sort((x, y) => {
      const a = sortValue(x, field);
      const b = sortValue(y, field);
      if (a === undefined || b === undefined) {
        if (a !== b) return a === undefined ? 1 : -1;
      } else if (cmp(a, b) !== 0) {
        return dir * cmp(a, b);
      }
      return dir * cmp(x.id, y.id);
    })
    .map((s) => s.id);
}

describe.each(orders)("order_by=%s", (order) => {
  test("one page and pages of 4 both list the runs in the expected order", async () => {
    const q = `order_by=${encodeURIComponent(order)}`;
    const want = await expectedOrder(order);
    const whole = await list(`${q}&limit=200`);
    expect(whole.status, whole.text).toBe(200);
    expect(whole.body.next_cursor).toBeNull();
    expect(whole.body.runs.map((r: { id: string }) => r.id)).toEqual(want);
    expect(await allPages(q, 4)).toEqual(want);
    if (order === "-created_at") {
      const byDefault = await list("limit=200");
      expect(byDefault.body.runs.map((r: { id: string }) => r.id)).toEqual(want);
    }
  });
});

test("sorts numerically, NaN above numbers, missing values last in both directions, ties by id", async () => {
  const asc = (await list("order_by=summary.loss.min&limit=200")).body.runs;
  const key = (r: any) => r.summary.loss?.min;
  const numbers = asc.filter((r: any) => typeof key(r) === "number").map(key);
  expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  const kinds = asc.map((r: any) => (key(r) === undefined ? "none" : key(r) === "NaN" ? "nan" : "num"));
  expect(kinds.join(",")).toMatch(/^(num,)+nan,(none,?)+$/);
  const desc = (await list("order_by=-summary.loss.min&limit=200")).body.runs;
  expect(desc.map((r: any) => (key(r) === undefined ? "none" : key(r) === "NaN" ? "nan" : "num")).join(",")).toMatch(/^nan,(num,)+(none,?)+$/);
  const ties = asc.filter((r: any) => key(r) === 0).map((r: any) => r.id);
  expect(ties.length).toBeGreaterThan(1);
  // In the database's collation, which need not be JavaScript's code-unit order.
  const byId = await sql<{ id: string }>(`select id from unnest($1::text[]) id order by id`, [ties]);
  expect(ties).toEqual(byId.map((r) => r.id));
  const byDefault = (await list("limit=200")).body.runs.map((r: any) => Date.parse(r.created_at));
  expect(byDefault).toEqual([...byDefault].sort((a, b) => b - a));
});

const cases: [string, (s: Seed) => boolean][] = [
  ["status=failed", (s) => s.status === "failed"],
  ["status=failed&status=running", () => true],
  ["tag=odd", (s) => s.tags.includes("odd")],
  ["tag=odd&tag=third", (s) => s.tags.includes("odd") && s.tags.includes("third")],
  ["filter=config.opt=adam", (s) => s.opt === "adam"],
  ["filter=config.opt!=adam", (s) => s.opt !== "adam"],
  ["filter=config.lr=0.01", (s) => s.lr === 0.01],
  ["filter=config.lr>=0.01", (s) => s.lr >= 0.01],
  ["filter=config.lr<1e-2", (s) => s.lr < 0.01],
  ["filter=config.model.depth>2", (s) => (s.depth ?? -1) > 2],
  ["filter=config.opt~DA", (s) => s.opt === "adam"],
  ["filter=name=run-3", (s) => s.name === "run-3"],
  ["filter=name~UN-1", (s) => s.name === "run-1"],
  ["filter=summary.loss.min<0.3", (s) => typeof s.loss === "number" && s.loss < 0.3],
  ["filter=summary.loss.last=NaN", (s) => s.loss === "NaN"],
  ["filter=summary.train/acc.last>=20", (s) => s.loss !== undefined && s.i >= 20],
  ["filter=config.opt=adam&filter=summary.loss.min>0.2&status=running", (s) => s.opt === "adam" && typeof s.loss === "number" && s.loss > 0.2 && s.status === "running"],
];

test.each(cases)("%s", async (query, want) => {
  const res = await list(`${query.replace(/~/g, "%7E").replace(/([<>]=?)/g, encodeURIComponent)}&limit=200`);
  expect(res.status, res.text).toBe(200);
  const got = res.body.runs.map((r: { id: string }) => r.id).sort();
  const expected = seeds.filter(want).map((s) => s.id).sort();
  expect(expected.length).toBeGreaterThan(0);
  expect(got).toEqual(expected);
});

test("malformed filters, order_by, cursors and limits are 400s naming the parameter", async () => {
  const bad: [string, RegExp][] = [
    ["filter=config.lr", /^filter: "config\.lr"/],
    ["filter=foo=1", /^filter: "foo=1"/],
    ["filter=config..a=1", /^filter/],
    ["filter=summary.loss=1", /^filter: "summary\.loss=1"/],
    ["filter=summary.loss.avg<1", /^filter/],
    [`filter=${encodeURIComponent(`config.${"a.".repeat(11)}b=1`)}`, /^filter/],
    ["filter=config.a%00b=1", /NUL/],
    ["order_by=bogus", /^order_by: "bogus"/],
    ["order_by=summary.loss", /^order_by/],
    ["cursor=garbage", /^cursor/],
    [`cursor=${Buffer.from(JSON.stringify({ o: "-created_at", v: "1e999", id: "run_x" })).toString("base64url")}`, /^cursor/],
    [`order_by=config.lr&cursor=${Buffer.from(JSON.stringify({ o: "config.lr", v: '"\\u0000"', id: "run_x" })).toString("base64url")}`, /^cursor/],
    [`order_by=name&cursor=${Buffer.from(JSON.stringify({ o: "-created_at", v: "1", id: "run_x" })).toString("base64url")}`, /^cursor/],
    ["limit=0", /limit/],
    ["limit=201", /limit/],
    ["status=weird", /status/],
    [Array.from({ length: 21 }, (_, i) => `filter=name=${i}`).join("&"), /filter/],
  ];
  for (const [q, message] of bad) {
    const res = await list(q);
    expectError(res, 400, "invalid_argument");
    expect(res.body.error.message, q).toMatch(message);
  }
  expectError(await api("GET", "/api/v1/projects/no-such-project/runs", { creds: team.creds }), 404, "not_found");
});
