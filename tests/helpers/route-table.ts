import { makeKey, makeProject, makeTeam, type Team } from "./harness";
import { joinTeam } from "./membership";
import { areas } from "./routes";

// Every route of the API, for the shared security loop (tests/security.test.ts).
// `path` is the OpenAPI template; the loop also checks that this table and
// /api/openapi.json list the same routes, so a new route cannot skip it.
//
// scope: what a credential needs ("public" routes take none).
// owned: the path names one of the team's resources, so another team gets 404.

export type Fixture = {
  team: Team;
  projectId: string;
  otherUserId: string;
  spareKeyId: string;
  // Ids made by the areas' fixture steps (runId, artifactId, ...).
  [extra: string]: any;
};

export type Area = { routes: RouteCase[]; fixture?: (f: Fixture) => Promise<Record<string, unknown>> };

export type RouteCase = {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  path: string;
  scope: "public" | "read" | "write" | "admin";
  owned?: boolean;
  params?: (f: Fixture) => Record<string, string>;
  body?: (f: Fixture) => unknown;
  // Query string (MLflow's GET routes name their resource here, not in the path).
  query?: (f: Fixture) => Record<string, string>;
  // Routes that only a session (not a key) may use.
  sessionOnly?: boolean;
};

export async function makeFixture(): Promise<Fixture> {
  const team = await makeTeam("Sec");
  const project = await makeProject(team);
  const other = await makeTeam("Member");
  await joinTeam(team, other, "member");
  const spare = await makeKey(team, ["read"]);
  const f: Fixture = { team, projectId: project.id, otherUserId: other.userId, spareKeyId: spare.id };
  for (const area of areas) if (area.fixture) Object.assign(f, await area.fixture(f));
  return f;
}

// Each area of the API keeps its rows in tests/helpers/routes/<area>.ts, with an
// optional fixture step that makes the resources its paths name.
export const routeTable: RouteCase[] = areas.flatMap((a) => a.routes);


export function fillPath(rc: RouteCase, f: Fixture): string {
  const params = rc.params?.(f) ?? {};
  const path = rc.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`route table: no value for {${name}} in ${rc.path}`);
    // MLflow's artifact paths keep their slashes.
    return name === "path" ? v.split("/").map(encodeURIComponent).join("/") : encodeURIComponent(v);
  });
  const query = rc.query?.(f);
  return query ? `${path}?${new URLSearchParams(query)}` : path;
}
