import { useEffect, useRef, useState } from "preact/hooks";
import { get, qs } from "../lib/api";
import type { LogLine } from "../lib/types";
import { useInterval } from "../lib/use-async";
import { ErrorBox, Empty, Loading } from "./states";
import { VirtualList } from "./virtual-list";

const PAGE = 5000;

// The scrolling box is reachable by Tab and scrolls with the arrow and page
// keys; screen readers hear it as a log.
function labelLog(el: HTMLDivElement) {
  el.tabIndex = 0;
  el.setAttribute("role", "log");
  el.setAttribute("aria-label", "Console output");
}

// The console log, all pages, then new lines while the run is live; follows
// the tail unless the user scrolled up.
export function LogViewer({ runId, live }: { runId: string; live: boolean }) {
  const [lines, setLines] = useState<LogLine[] | null>(null);
  const [error, setError] = useState<Error>();
  const [q, setQ] = useState("");
  const [follow, setFollow] = useState(true);
  const cursor = useRef<number | string | null>(null);
  const busy = useRef(false);

  async function pull() {
    if (busy.current) return;
    busy.current = true;
    try {
      let acc: LogLine[] = [];
      for (let i = 0; i < 40; i++) {
        const r = await get<{ lines: LogLine[]; next_cursor: number | string | null }>(`/runs/${runId}/logs${qs({ cursor: cursor.current, limit: PAGE })}`);
        acc = acc.concat(r.lines);
        if (r.next_cursor === null || r.lines.length === 0) {
          // Resume after the last line we hold, so a live poll fetches only new ones.
          if (acc.length) cursor.current = acc.at(-1)!.n + 1;
          break;
        }
        cursor.current = r.next_cursor;
      }
      setLines((prev) => (acc.length || !prev ? [...(prev ?? []), ...acc] : prev));
      setError(undefined);
    } catch (e) {
      setError(e as Error);
    } finally {
      busy.current = false;
    }
  }
  useEffect(() => void pull(), [runId]);
  useInterval(pull, live ? 3000 : null);

  if (error && !lines) return <ErrorBox error={error} retry={pull} />;
  if (!lines) return <Loading what="Loading console output" />;
  if (lines.length === 0)
    return (
      <Empty title="No console output">
        <p>{live ? "Waiting for output: lines printed by the run appear here within seconds." : "This run did not capture stdout or stderr."}</p>
      </Empty>
    );
  const ql = q.toLowerCase();
  const shown = q ? lines.filter((l) => l.text.toLowerCase().includes(ql)) : lines;
  return (
    <div class="logs">
      <div class="toolbar">
        <input type="search" placeholder="Search output…" aria-label="Search output" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        <span class="muted small">
          {shown.length.toLocaleString()} of {lines.length.toLocaleString()} lines
        </span>
        <label class="check" title="Keep the newest line in view">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow((e.target as HTMLInputElement).checked)} /> Follow new output
        </label>
      </div>
      <VirtualList
        class="log-lines"
        height="calc(100vh - 220px)"
        count={shown.length}
        rowHeight={18}
        follow={follow}
        onScrollEl={labelLog}
        render={(i) => {
          const l = shown[i]!;
          return (
            <div class={`log-line ${l.stream === "stderr" ? "stderr" : ""}`} key={l.n}>
              <span class="ln">{l.n}</span>
              <span class="lt">{l.text}</span>
            </div>
          );
        }}
      />
    </div>
  );
}
