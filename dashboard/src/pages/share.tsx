import { useEffect, useState } from "preact/hooks";
import { ErrorBox, Loading } from "../components/states";
import { ApiFailure, get, setShareToken } from "../lib/api";
import type { Report } from "../lib/report-types";
import { useAsync } from "../lib/use-async";
import { ReportReader } from "./report";
import "../styles/print.css";

// /share/<token>: no session; every read carries the link's token. The token
// resolves to its report, so the report is asked for as "shared": the link's own one.
export function SharePage({ token }: { token: string }) {
  // Set before the first render's fetches go out.
  useState(() => setShareToken(token));
  const rep = useAsync((s) => get<{ report: Report }>(`/reports/shared`, s).then((r) => r.report), [token]);
  useEffect(() => {
    if (rep.data) document.title = `${rep.data.title} · Sightline`;
  }, [rep.data]);
  if (rep.error instanceof ApiFailure && (rep.error.status === 401 || rep.error.status === 404))
    return (
      <div class="state empty" data-testid="share-gone">
        <h3>This link has expired or was revoked</h3>
        <p>Ask whoever shared it for a new link.</p>
      </div>
    );
  if (rep.error) return <ErrorBox error={rep.error} retry={rep.reload} />;
  if (!rep.data) return <Loading what="Loading report" />;
  return (
    <section class="page report-page shared">
      <ReportReader title={rep.data.title} blocks={rep.data.blocks} />
      <p class="muted small no-print">Shared read-only from Sightline.</p>
    </section>
  );
}
