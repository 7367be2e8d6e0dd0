import { expect } from "vitest";
import { api, uniq } from "../../helpers/api";
import { makeTeam, type Team } from "../../helpers/harness";

export const REPORT_TEXT = "## Findings\n\nAdam converges faster than SGD on every seed; the loss spike at step 300 is real, not noise.";

// A team with two runs (loss and acc, 600 steps, one spike), a report of a
// text block and two chart panels (ids "loss-panel", "acc-panel"), and a live share link to it.
export async function sharedReport(): Promise<{ team: Team; project: string; reportId: string; url: string; token: string; linkId: string }> {
  const team = await makeTeam("Share pages");
  const project = `share-${uniq()}`;
  const runs: string[] = [];
  for (const [name, seed] of [["adam", 1], ["sgd", 2]] as const) {
    const run = (await api("POST", `/api/v1/projects/${project}/runs`, { creds: team.creds, json: { name } })).body.run;
    const steps = Array.from({ length: 600 }, (_, i) => i);
    const loss = steps.map((s) => 2 / Math.sqrt(1 + s / (20 * seed)) + Math.sin(s) * 0.05 + (s === 300 ? 2 : 0));
    const acc = steps.map((s) => 1 - 0.8 / Math.sqrt(1 + s / (30 * seed)));
    const res = await api("POST", `/api/v1/runs/${run.id}/metrics`, { creds: team.creds, json: { seq: 0, metrics: { loss: { steps, values: loss }, acc: { steps, values: acc } } } });
    expect(res.status, res.text).toBeLessThan(300);
    runs.push(run.id);
  }
  const created = await api("POST", `/api/v1/projects/${project}/reports`, {
    creds: team.creds,
    json: {
      title: "Optimizer study",
      blocks: [
        { type: "markdown", id: "intro", text: REPORT_TEXT },
        { type: "chart", id: "loss-panel", title: "Training loss", runs, keys: ["loss"] },
        { type: "chart", id: "acc-panel", title: "Accuracy", runs, keys: ["acc"] },
      ],
    },
  });
  expect(created.status, created.text).toBe(201);
  const reportId = created.body.report.id as string;
  const link = await api("POST", `/api/v1/reports/${reportId}/share-links`, { creds: team.creds, json: {} });
  expect(link.status, link.text).toBe(201);
  return { team, project, reportId, url: link.body.url, token: link.body.token, linkId: link.body.link.id };
}
