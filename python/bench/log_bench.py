"""Python SDK figures: run.log() cost per call (µs, p50/p99, 10 keys), points/s
stored from one process and from 16 at once, and the journal's overhead as a
ratio to journaling off.

    python3 python/bench/log_bench.py --base-url http://127.0.0.1:8787 [--api-key KEY] [--json]

Without --api-key (or SIGHTLINE_API_KEY) it signs up a throwaway team, which
works against a local stack (`npm start`). Points/s counts from the first
log() until finish() returns, i.e. until the server has stored every point."""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # the package from this checkout unless installed

import sightline  # noqa: E402

KEYS = [f"train/metric_{i}" for i in range(10)]


def signup(base_url: str) -> str:
    ip = f"10.{random.randint(0, 250)}.{random.randint(0, 250)}.{random.randint(1, 250)}"
    body = {"email": f"bench-{uuid.uuid4().hex[:12]}@example.com", "password": "correct horse battery staple",
            "team_name": "python bench"}
    req = urllib.request.Request(base_url + "/api/v1/signup", data=json.dumps(body).encode(), method="POST",
                                 headers={"content-type": "application/json", "cf-connecting-ip": ip})
    with urllib.request.urlopen(req, timeout=30) as res:
        return json.load(res)["api_key"]["key"]


def one_run(base_url: str, key: str, steps: int, journal: bool, folder: str, timed: bool = False, fsync: str = "batch"):
    run = sightline.init(project="bench-python", base_url=base_url, api_key=key, console=False, system_metrics=None,
                         exit_hooks=False, journal=journal, dir=folder, quiet=True, capture_git=False, fsync=fsync)
    costs = []
    row = {k: 0.0 for k in KEYS}
    clock = time.perf_counter_ns
    t0 = time.perf_counter()
    for step in range(steps):
        for k in KEYS:
            row[k] = step * 0.001
        if timed:
            a = clock()
            run.log(row)
            costs.append(clock() - a)
        else:
            run.log(row)
    logged = time.perf_counter()
    run.finish()
    done = time.perf_counter()
    stats = run.stats()
    if stats.get("sent", 0) != steps * len(KEYS) or stats.get("dropped"):
        raise SystemExit(f"bench run lost data: {stats}")
    return {"log_s": logged - t0, "total_s": done - t0, "points": steps * len(KEYS), "costs_ns": costs}


def child_main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as d:
        r = one_run(args.base_url, args.api_key, args.steps, True, d)
    print(json.dumps({"points": r["points"], "total_s": r["total_s"]}))


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--base-url", default=os.environ.get("SIGHTLINE_BASE_URL", "http://127.0.0.1:8787"))
    p.add_argument("--api-key", default=os.environ.get("SIGHTLINE_API_KEY"))
    p.add_argument("--steps", type=int, default=20_000, help="log() calls per run (10 keys each)")
    p.add_argument("--procs", type=int, default=16)
    p.add_argument("--repeat", type=int, default=3, help="runs per journal setting (median)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    args.api_key = args.api_key or signup(args.base_url)
    if args.child:
        return child_main(args)
    out = {}
    with tempfile.TemporaryDirectory() as d:
        one_run(args.base_url, args.api_key, 2_000, True, d)  # warm-up: connections, the Worker's isolate
        timed = one_run(args.base_url, args.api_key, args.steps, True, d, timed=True)
        costs = [c / 1000 for c in timed["costs_ns"]]
        out["log_us_p50"] = round(pct(costs, 0.50), 2)
        out["log_us_p99"] = round(pct(costs, 0.99), 2)
        out["log_us_mean"] = round(statistics.fmean(costs), 2)
        # Interleaved and repeated, median taken: one run is about a second on a shared machine.
        times: dict = {"on": [], "off": [], "lazy": []}
        for _ in range(args.repeat):
            times["on"].append(one_run(args.base_url, args.api_key, args.steps, True, d)["total_s"])
            times["off"].append(one_run(args.base_url, args.api_key, args.steps, False, d)["total_s"])
            times["lazy"].append(one_run(args.base_url, args.api_key, args.steps, True, d, fsync="finish")["total_s"])
        points = args.steps * len(KEYS)
        on, off, lazy = ({"total_s": statistics.median(times[k]), "points": points} for k in ("on", "off", "lazy"))
        out["points_per_s_1proc"] = round(on["points"] / on["total_s"])
        out["points_per_s_1proc_journal_off"] = round(off["points"] / off["total_s"])
        out["journal_overhead_ratio"] = round(on["total_s"] / off["total_s"], 3)
        out["journal_overhead_ratio_fsync_finish"] = round(lazy["total_s"] / off["total_s"], 3)
    t0 = time.perf_counter()
    cmd = [sys.executable, os.path.abspath(__file__), "--child", "--base-url", args.base_url, "--api-key", args.api_key,
           "--steps", str(args.steps)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) for _ in range(args.procs)]
    results = [json.loads(pr.communicate()[0]) for pr in procs]
    wall = time.perf_counter() - t0
    if any(pr.returncode for pr in procs):
        raise SystemExit("a bench child failed")
    out[f"points_per_s_{args.procs}procs"] = round(sum(r["points"] for r in results) / wall)
    out["steps_per_run"] = args.steps
    out["cpus"] = os.cpu_count()
    out["load_avg_1m"] = round(os.getloadavg()[0], 2)
    if args.json:
        print(json.dumps(out))
        return
    print(f"python sdk: run.log() with 10 keys: p50 {out['log_us_p50']} µs, p99 {out['log_us_p99']} µs "
          f"(mean {out['log_us_mean']} µs)")
    print(f"python sdk: 1 process: {out['points_per_s_1proc']:,} points/s stored (journal off: "
          f"{out['points_per_s_1proc_journal_off']:,}); journal overhead ×{out['journal_overhead_ratio']} "
          f"(fsync per batch; ×{out['journal_overhead_ratio_fsync_finish']} with fsync at finish)")
    print(f"python sdk: {args.procs} processes: {out[f'points_per_s_{args.procs}procs']:,} points/s stored "
          f"({args.steps * 10:,} points each; {out['cpus']} CPUs, load {out['load_avg_1m']})")


if __name__ == "__main__":
    main()
