import type uPlot from "uplot";
import { valueAt, type Built } from "./chart-data";
import { fmtNum } from "./format";

type ReadoutRun = { id: string; name: string; color: string };

// The hover readout: the x under the (synced) crosshair, then each run's value
// there in the run's colour. Written straight into the DOM: it changes on
// every pointer move across every chart of the page.
export function renderReadout(el: HTMLElement, u: uPlot, built: Built, runs: ReadoutRun[], x: "step" | "time") {
  const left = u.cursor.left;
  if (left === undefined || left < 0 || built.perRun.length === 0) {
    if (el.firstChild) el.replaceChildren();
    el.removeAttribute("data-x");
    el.removeAttribute("data-at");
    return;
  }
  const xv = u.posToVal(left, "x");
  // Within a few pixels' worth of x: a run that has no points here says nothing.
  const slack = Math.abs(u.posToVal(left + 8, "x") - xv);
  // Same buckets under the pointer as last time: nothing to rewrite.
  const at = built.perRun.map((p) => valueAt(p.xs, p.line, xv, slack)?.x ?? "").join(",");
  const label = x === "time" ? new Date(xv * 1000).toLocaleTimeString() : `step ${Math.round(xv)}`;
  el.dataset.x = String(xv);
  if (el.dataset.at === at && el.firstChild) {
    el.firstChild.textContent = label;
    return;
  }
  el.dataset.at = at;
  const xs = document.createElement("span");
  xs.className = "ro-x";
  xs.textContent = label;
  const parts: HTMLElement[] = [xs];
  const full: string[] = [xs.textContent];
  built.perRun.forEach((p, i) => {
    const hit = valueAt(p.xs, p.line, xv, slack);
    if (!hit) return;
    const r = runs[i]!;
    const span = document.createElement("span");
    span.className = "ro-run";
    span.dataset.run = r.id;
    span.dataset.value = String(hit.v);
    span.dataset.x = String(hit.x);
    span.style.color = r.color;
    span.textContent = runs.length > 1 ? `${r.name} ${fmtNum(hit.v)}` : fmtNum(hit.v);
    parts.push(span);
    full.push(`${r.name} ${fmtNum(hit.v)}`);
  });
  el.dataset.x = String(xv);
  el.title = full.join("\n");
  el.replaceChildren(...parts);
}
