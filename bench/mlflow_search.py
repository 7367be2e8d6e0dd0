"""Times MlflowClient.search_runs as a user calls it, against the bench's stack.

MLFLOW_TRACKING_URI and MLFLOW_TRACKING_TOKEN come from bench/mlflow.ts.
Prints one JSON line: each call's milliseconds and the rows it returned."""
import argparse
import json
import time

from mlflow.tracking import MlflowClient


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--experiment", required=True)
    p.add_argument("--filter", default="metrics.loss < 0.5")
    p.add_argument("--max-results", type=int, default=1000)
    p.add_argument("--calls", type=int, default=20)
    p.add_argument("--warmup", type=int, default=2)
    a = p.parse_args()
    client = MlflowClient()
    samples, rows = [], []
    for i in range(a.warmup + a.calls):
        t0 = time.perf_counter()
        page = client.search_runs(experiment_ids=[a.experiment], filter_string=a.filter, max_results=a.max_results)
        ms = (time.perf_counter() - t0) * 1000
        if i >= a.warmup:
            samples.append(ms)
            rows.append(len(page))
    # The figure only counts if the page is right: every row matches the filter.
    bad = [r.info.run_id for r in page if not r.data.metrics.get("loss", 1) < 0.5] if a.filter == "metrics.loss < 0.5" else []
    print(json.dumps({"ms": samples, "rows": rows, "bad_rows": len(bad), "has_next_page": bool(page.token)}))


if __name__ == "__main__":
    main()
