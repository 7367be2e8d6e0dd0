import type { Run } from "../lib/types";

// Parallel coordinates with brushing and a scatter plot of any two
// config/summary fields, over a set of runs. A brush narrows the runs:
// onFilter(ids) with the runs inside every brush, or null when no brush is set.
// Contract: the runs page mounts it above its table and shows only `ids`.
// Issue 13 (plots helper) builds it; until then it draws nothing.
export type RunsPlotsProps = {
  runs: Run[];
  onFilter: (ids: Set<string> | null) => void;
};

export function RunsPlots(_props: RunsPlotsProps) {
  return null;
}
