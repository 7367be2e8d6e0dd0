import { useEffect, useState } from "preact/hooks";
import { BlockView } from "../components/report-blocks";
import { ErrorBox, Loading } from "../components/states";
import { ApiFailure, get, setShareToken } from "../lib/api";
import type { Report } from "../lib/report-types";
import { useAsync } from "../lib/use-async";
import "../styles/share.css";

// /share/<token>/embed/<block>: one chart panel of a shared report, alone, for
// an <iframe> on another site (the Worker allows any frame-ancestors on
// /share/*). The same exact, zoomable chart as the report, with no chrome but
// a small link to the whole report.
export function ShareEmbedPage({ token, blockId }: { token: string; blockId: string }) {
  useState(() => setShareToken(token));
  const rep = useAsync((s) => get<{ report: Report }>(`/reports/shared`, s).then((r) => r.report), [token]);
  const block = rep.data?.blocks.find((b) => b.id === blockId);
  useEffect(() => {
    if (rep.data) document.title = `${rep.data.title} · Sightline`;
  }, [rep.data]);
  if (rep.error instanceof ApiFailure && (rep.error.status === 401 || rep.error.status === 404))
    return (
      <div class="share-embed state empty" data-testid="share-gone">
        <p>This chart's link has expired or was revoked.</p>
      </div>
    );
  if (rep.error) return <ErrorBox error={rep.error} retry={rep.reload} />;
  if (!rep.data) return <Loading what="Loading chart" />;
  // The full report is the share page itself: this URL without /embed/<block>.
  const full = location.pathname.replace(/\/embed\/[^/]*\/?$/, "");
  return (
    <div class="share-embed" data-testid="share-embed">
      {block && (block.type === "chart" || block.type === "compare") ? (
        <BlockView block={block} />
      ) : (
        <p class="muted" data-testid="embed-missing">
          This report has no chart panel with that id.
        </p>
      )}
      <a class="embed-brand" href={full} target="_blank" rel="noopener noreferrer" title={`Open “${rep.data.title}” in Sightline`}>
        Sightline
      </a>
    </div>
  );
}
