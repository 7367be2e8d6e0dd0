import { PointsChart } from "../components/points-chart";
import { ErrorBox, Loading } from "../components/states";
import type { Session } from "../lib/types";
import { fmtBytes, fmtCount, METERED, useUsage, warningsOf, type Warning } from "../lib/usage";

// The plan's limits, what the team uses of each, and points per day. The
// page always asks for fresh numbers; the top bar's copy follows.
export function UsagePage({ session }: { session: Session }) {
  const { usage, error, reload } = useUsage(session.team.id, true);
  if (error && !usage) return <ErrorBox error={error} retry={reload} />;
  if (!usage) return <Loading what="Loading usage" />;
  const warnings = warningsOf(usage);
  return (
    <div class="settings-body">
      <WarningsBanner warnings={warnings} plan={usage.plan} />
      <div class="section-head">
        <h2>Plan</h2>
        <span class="badge" data-testid="plan">
          {usage.plan}
        </span>
        <div class="spacer" />
        <button class="ghost" onClick={reload} aria-label="Reload usage">
          ↻
        </button>
      </div>
      <div class="meters" data-testid="meters">
        {METERED.map((m) => (
          <Meter label={m.label} testid={m.key} used={usage.usage[m.key]} max={usage.limits[m.limit]} bytes={m.bytes} />
        ))}
      </div>
      <p class="muted small">
        Retention {fmtCount(usage.limits.retentionDays)} days · ingest up to {fmtCount(usage.limits.ingestPointsPerSecond)} points/s · {fmtCount(usage.limits.apiRequestsPerSecond)} API
        requests/s. Month totals reset on the 1st (UTC).
      </p>
      <div class="section-head">
        <h2>Metric points per day</h2>
      </div>
      <div class="card">
        <PointsChart byDay={usage.points_by_day} />
      </div>
    </div>
  );
}

function Meter({ label, testid, used, max, bytes }: { label: string; testid: string; used: number; max: number; bytes: boolean }) {
  const ratio = max > 0 ? used / max : used > 0 ? 1 : 0;
  const level = ratio >= 1 ? "full" : ratio >= 0.8 ? "high" : "";
  const f = bytes ? fmtBytes : fmtCount;
  const pct = Math.round(ratio * 100);
  return (
    <div class={`meter ${level}`} data-testid={`meter-${testid}`} data-used={used} data-limit={max}>
      <div class="meter-head">
        <span>{label}</span>
        <span class="num">
          <span data-testid="used">{f(used)}</span> / <span data-testid="limit">{f(max)}</span>
        </span>
      </div>
      <div class="bar" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={used} aria-valuetext={`${f(used)} of ${f(max)} (${pct}%)`}>
        <span style={{ width: `${Math.min(100, ratio * 100)}%` }} />
      </div>
    </div>
  );
}

export function WarningsBanner({ warnings, plan }: { warnings: Warning[]; plan: string }) {
  if (!warnings.length) return null;
  const full = warnings.some((w) => w.level === "100%");
  return (
    <div class={`notice ${full ? "danger" : "warn"}`} role="alert" data-testid="usage-warning">
      <strong>{full ? "A limit is reached." : "Nearing a limit."}</strong>{" "}
      {warnings.map((w) => `${w.label}: ${Math.floor(w.ratio * 100)}% of ${w.limit === "storageBytes" ? fmtBytes(w.max) : fmtCount(w.max)}`).join("; ")} on the {plan} plan.{" "}
      {full ? "New writes against it are refused (402) until usage drops or the plan grows." : "Writes are refused at 100%."} To raise a limit, ask Sightline support to change the plan.
    </div>
  );
}
