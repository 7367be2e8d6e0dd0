import { expect, test } from "vitest";
import { api } from "./helpers/api";
import { sql } from "./helpers/db";
import { expectError, makeProject, makeTeam } from "./helpers/harness";
import { cookieIn, joinTeam } from "./helpers/membership";

// Saved chart workspaces (issue 13): one settings object per member and
// project, validated and bounded; another team's project is a 404.

const path = (project: string) => `/api/v1/projects/${encodeURIComponent(project)}/workspace`;

test("a member's settings: empty until saved, saved whole, read back by name or id, audited", async () => {
  const t = await makeTeam();
  const project = await makeProject(t);
  const empty = await api("GET", path(project.name), { creds: t.creds });
  expect(empty.status, empty.text).toBe(200);
  expect(empty.body.workspace).toEqual({ project_id: project.id, settings: {}, updated_at: null });

  const settings = { runs: ["run_a", "run_b"], smoothing: 0.6, x: "time", log_y: true, collapsed: ["val", "system"] };
  const put = await api("PUT", path(project.id), { creds: t.creds, json: { settings } });
  expect(put.status, put.text).toBe(200);
  expect(put.body.workspace.settings).toEqual(settings);
  const got = await api("GET", path(project.name), { creds: t.creds });
  expect(got.body.workspace.settings).toEqual(settings);
  expect(got.body.workspace.updated_at).toBe(put.body.workspace.updated_at);

  // A save replaces the object (the dashboard sends its whole view).
  await api("PUT", path(project.id), { creds: t.creds, json: { settings: { smoothing: 0 } } });
  expect((await api("GET", path(project.id), { creds: t.creds })).body.workspace.settings).toEqual({ smoothing: 0 });
  const audits = await sql<{ action: string }>("select action from audit_log where team_id = $1 and resource_id = $2", [t.id, project.id]);
  expect(audits.filter((a) => a.action === "workspace.update").length).toBe(2);
});

test("each member keeps their own view; a viewer may save theirs", async () => {
  const t = await makeTeam();
  const project = await makeProject(t);
  const viewer = await makeTeam("Viewer");
  await joinTeam(t, viewer, "viewer");
  const vc = await cookieIn(viewer, t.id);
  await api("PUT", path(project.id), { creds: t.creds, json: { settings: { smoothing: 0.9 } } });
  const v = await api("PUT", path(project.id), { creds: vc, json: { settings: { smoothing: 0.1, collapsed: ["train"] } } });
  expect(v.status, v.text).toBe(200);
  expect((await api("GET", path(project.id), { creds: vc })).body.workspace.settings).toEqual({ smoothing: 0.1, collapsed: ["train"] });
  expect((await api("GET", path(project.id), { creds: t.creds })).body.workspace.settings).toEqual({ smoothing: 0.9 });
});

test("bad settings are 400s naming the field; over 64 KiB is refused; nothing is saved", async () => {
  const t = await makeTeam();
  const project = await makeProject(t);
  const bad = async (settings: unknown, field: string) => {
    const res = await api("PUT", path(project.id), { creds: t.creds, json: { settings } });
    expectError(res, 400, "invalid_argument");
    expect(res.body.error.message).toContain(field);
  };
  await bad({ smoothing: 2 }, "smoothing");
  await bad({ x: "epoch" }, "x");
  await bad({ log_y: "yes" }, "log_y");
  await bad({ runs: "run_a" }, "runs");
  await bad({ colour: "red" }, "colour");
  await bad({ collapsed: Array.from({ length: 400 }, (_, i) => `${"s".repeat(190)}${i}`) }, "64");
  const none = await api("PUT", path(project.id), { creds: t.creds, json: {} });
  expectError(none, 400, "invalid_argument");
  expect(none.body.error.message).toContain("settings");
  expect((await api("GET", path(project.id), { creds: t.creds })).body.workspace.settings).toEqual({});
});

test("another team's project, or none, is a 404", async () => {
  const t = await makeTeam();
  const other = await makeTeam("Other");
  const project = await makeProject(t);
  expectError(await api("GET", path(project.id), { creds: other.creds }), 404, "not_found");
  expectError(await api("PUT", path(project.id), { creds: other.creds, json: { settings: { smoothing: 0.5 } } }), 404, "not_found");
  expectError(await api("GET", path("no-such-project"), { creds: t.creds }), 404, "not_found");
  const rows = await sql("select 1 from workspaces where project_id = $1", [project.id]);
  expect(rows.length).toBe(0);
});
