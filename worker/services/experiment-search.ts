import { and, asc, desc, eq, inArray, isNotNull, isNull, notInArray, sql, type SQL } from "drizzle-orm";
import { projects } from "../../schema";
import type { Db } from "../lib/db";
import { ApiError } from "../lib/errors";
import { parseFilter, parseOrderBy, type Clause, type OrderTerm } from "./experiment-filter";
import type { Project } from "./projects";
import { decodeJsonToken, encodeJsonToken, fnv1a } from "../lib/page-token";

// MLflow's search_experiments over the team's projects: filter, order, view
// type and offset paging, as MLflow's SQL store pages.

export const SEARCH_MAX_RESULTS_DEFAULT = 1000;
export const SEARCH_MAX_RESULTS = 50000;
// A token is an offset; past this it is not one we made (the team would need
// this many projects), and Postgres need not skip that far.
const MAX_OFFSET = 10_000_000;

export type ViewType = "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";
export type ExperimentSearch = {
  filter?: string;
  orderBy?: string[];
  viewType: ViewType;
  maxResults: number;
  pageToken?: string;
};

// Milliseconds since the epoch as the API shows them (truncated), so that
// `creation_time = <a value the API returned>` matches.
const epochMs = (col: typeof projects.createdAt | typeof projects.updatedAt) => sql`floor(extract(epoch from ${col}) * 1000)`;

function condition(c: Clause): SQL {
  switch (c.kind) {
    case "string": {
      const col = c.key === "name" ? projects.name : projects.id;
      return sql`${col} ${sql.raw(c.op === "!=" ? "<>" : c.op)} ${c.value}`;
    }
    case "list":
      return c.op === "IN" ? inArray(projects.id, c.values) : notInArray(projects.id, c.values);
    case "time": {
      const col = c.key === "creation_time" ? projects.createdAt : projects.updatedAt;
      return sql`${epochMs(col)} ${sql.raw(c.op === "!=" ? "<>" : c.op)} ${c.value}`;
    }
    case "tag": {
      // A missing tag is SQL null, so `!=` leaves untagged experiments out, as MLflow's join does.
      const value = sql`(${projects.tags} ->> ${c.key}::text)`;
      return sql`${value} ${sql.raw(c.op === "!=" ? "<>" : c.op)} ${c.value}`;
    }
    case "tag-null":
      return sql`(${projects.tags} ->> ${c.key}::text) ${sql.raw(c.op === "IS NULL" ? "is null" : "is not null")}`;
  }
}

// Text orders by code point (COLLATE "C"), the same on every database,
// whatever its locale: "Beta" before "alpha", as Python's sort in MLflow's file store.
const orderColumn = {
  name: sql`${projects.name} collate "C"`,
  experiment_id: sql`${projects.id} collate "C"`,
  creation_time: projects.createdAt,
  last_update_time: projects.updatedAt,
};

function orderClauses(terms: OrderTerm[]): SQL[] {
  const list = terms.length ? terms : ([{ key: "creation_time", asc: false }, { key: "experiment_id", asc: true }] as OrderTerm[]);
  // experiment_id breaks ties, so pages never overlap.
  if (!list.some((t) => t.key === "experiment_id")) list.push({ key: "experiment_id", asc: true });
  return list.map((t) => (t.asc ? asc(orderColumn[t.key]) : desc(orderColumn[t.key])));
}

// The token names an offset and the search it belongs to; it is checked, not
// trusted: garbage or a token from another search is a 400, never a 500.
function fingerprint(q: ExperimentSearch): string {
  return fnv1a(JSON.stringify([q.filter ?? "", q.orderBy ?? [], q.viewType]));
}

function encodeToken(offset: number, q: ExperimentSearch): string {
  return encodeJsonToken({ o: offset, q: fingerprint(q) });
}

function decodeToken(token: string, q: ExperimentSearch): number {
  const invalid = new ApiError("invalid_argument", "Invalid page token: not one returned by this search");
  let parsed: unknown;
  try {
    if (token.length > 200) throw invalid;
    parsed = decodeJsonToken(token);
  } catch {
    throw invalid;
  }
  const { o, q: fp } = (parsed ?? {}) as { o?: unknown; q?: unknown };
  if (typeof o !== "number" || !Number.isSafeInteger(o) || o < 0 || o > MAX_OFFSET || typeof fp !== "string") throw invalid;
  if (fp !== fingerprint(q)) {
    throw new ApiError("invalid_argument", "Invalid page token: it was made for a search with another filter, order_by or view_type");
  }
  return o;
}

export async function searchExperiments(
  db: Db,
  teamId: string,
  q: ExperimentSearch,
): Promise<{ projects: Project[]; nextPageToken?: string }> {
  if (!Number.isSafeInteger(q.maxResults) || q.maxResults < 1) {
    throw new ApiError("invalid_argument", `Invalid value ${q.maxResults} for parameter 'max_results' supplied. It must be a positive integer`);
  }
  if (q.maxResults > SEARCH_MAX_RESULTS) {
    throw new ApiError("invalid_argument", `Invalid value ${q.maxResults} for parameter 'max_results' supplied. It must be at most ${SEARCH_MAX_RESULTS}`);
  }
  const clauses = parseFilter(q.filter);
  const order = orderClauses(parseOrderBy(q.orderBy));
  const offset = q.pageToken ? decodeToken(q.pageToken, q) : 0;
  const view =
    q.viewType === "ACTIVE_ONLY" ? isNull(projects.deletedAt) : q.viewType === "DELETED_ONLY" ? isNotNull(projects.deletedAt) : undefined;
  const rows = await db
    .select()
    .from(projects)
    .where(and(eq(projects.teamId, teamId), view, ...clauses.map(condition)))
    .orderBy(...order)
    .limit(q.maxResults + 1)
    .offset(offset);
  if (rows.length <= q.maxResults) return { projects: rows };
  return { projects: rows.slice(0, q.maxResults), nextPageToken: encodeToken(offset + q.maxResults, q) };
}
