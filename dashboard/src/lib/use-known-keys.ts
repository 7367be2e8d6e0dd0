import { useEffect, useMemo, useState } from "preact/hooks";
import { get } from "./api";
import type { KnownKeys } from "./filter";
import { configKeys } from "./format";
import type { Run } from "./types";

function keysOf(runs: Run[], into: { c: Set<string>; m: Set<string>; t: Set<string> }) {
  for (const r of runs) {
    configKeys(r.config, "", into.c);
    for (const k of Object.keys(r.summary ?? {})) into.m.add(k);
    for (const t of r.tags) into.t.add(t);
  }
}

// The project's config keys, metric keys and tags: from an unfiltered sample
// of its newest runs (so a filter that matches nothing still gets suggestions
// and "did you mean"), joined with the keys of the runs loaded now.
export function useKnownKeys(project: string, loaded: Run[]): KnownKeys & { cKeys: string[]; mKeys: string[] } {
  const [sample, setSample] = useState<Run[]>([]);
  useEffect(() => {
    const ctl = new AbortController();
    get<{ runs: Run[] }>(`/projects/${encodeURIComponent(project)}/runs?limit=100&archived=include`, ctl.signal).then(
      (r) => setSample(r.runs),
      () => undefined,
    );
    return () => ctl.abort();
  }, [project]);
  const some = loaded.length > 2000 ? loaded.slice(0, 2000) : loaded;
  return useMemo(() => {
    const into = { c: new Set<string>(), m: new Set<string>(), t: new Set<string>() };
    keysOf(sample, into);
    keysOf(some, into);
    const config = [...into.c].sort();
    const metrics = [...into.m].sort();
    return { config, metrics, tags: [...into.t].sort(), cKeys: config, mKeys: metrics };
  }, [sample, some.length, loaded[0]?.id]);
}
