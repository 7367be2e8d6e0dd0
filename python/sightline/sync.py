"""Upload journals left by offline runs, outages and kills: exactly once.

For each run folder: create the run on the server if it has no server id yet
(the id is saved in run.json at once), then send every journal entry without
an ack, in order, each with its original ``seq``. An entry whose ack line was
lost is simply sent again and the server answers ``duplicate``. A sync that
is interrupted resumes where the acks end."""
from __future__ import annotations

import os
import sys
from typing import Any, Dict, List, Optional

from ._create import create_once
from ._http import HttpClient, SightlineError
from ._journal import Entry, Journal, read_acks, read_entries, read_run_file, run_folders, write_run_file


def _alive(pid: Any) -> bool:
    if not isinstance(pid, int) or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A pid can be reused; a zombie (killed, not yet reaped) is not alive either.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1][:1] != "Z"
    except OSError:
        return True


def _finished(folder: str) -> bool:
    return any(h["t"] == "finish" for h, _ in read_entries(folder))


def _live(folder: str, meta: Dict[str, Any]) -> bool:
    """Its process still runs and has not finished the run (it may still be sending)."""
    return _alive(meta.get("pid")) and not _finished(folder)


def folder_status(folder: str) -> Dict[str, Any]:
    meta = read_run_file(folder)
    acked = read_acks(folder)
    pending = [h for h, _ in read_entries(folder) if h["op"] not in acked]
    return {
        "folder": folder,
        "run_id": meta.get("run_id"),
        "project": meta.get("project"),
        "mode": meta.get("mode"),
        "live": _live(folder, meta),
        "pending_ops": len(pending),
        "pending_points": sum(h.get("n", 0) for h in pending if h["t"] == "metrics"),
        "pending_lines": sum(h.get("n", 0) for h in pending if h["t"] == "logs"),
        "finished": _finished(folder),
        "synced": meta.get("run_id") is not None and not pending,
    }


def sync_folder(folder: str, http: HttpClient, *, force: bool = False, max_attempts: float = 8,
                log: Any = print) -> Dict[str, Any]:
    meta = read_run_file(folder)
    if _live(folder, meta) and not force:
        log(f"{folder}: its process {meta['pid']} is still running; skipped (--force to sync anyway)")
        return {"folder": folder, "skipped": True, "sent": 0}
    if not meta.get("run_id"):
        # search_first: a sync killed between creating the run and saving its id must not make a second one.
        run, created = create_once(http, meta["project"], meta["create"], attempts=max_attempts, search_first=True)
        meta["run_id"] = run["id"]
        write_run_file(folder, meta)
        log(f"{folder}: {'created' if created else 'found'} run {meta['run_id']} in project {meta['project']}")
    base = f"/api/v1/runs/{meta['run_id']}"
    acked = read_acks(folder)
    journal = Journal(folder, fsync="finish")
    sent = points = duplicates = 0
    try:
        from ._pipeline import send_one
        for header, body in read_entries(folder):
            if header["op"] in acked:
                continue
            entry = Entry(header["op"], header["t"], header.get("seq"), header.get("n", 0), body)
            rejected = False
            try:
                answer = send_one(http, base, entry, None, gzip=True, stop=None, max_attempts=max_attempts)
                if isinstance(answer, dict) and answer.get("duplicate"):
                    duplicates += 1  # stored before (its ack was lost): the server kept one copy
            except SightlineError as err:
                if err.retryable:
                    raise  # the server is out of reach: stop here; the next sync resumes
                log(f"{folder}: op {entry.op} ({entry.kind}) refused, not retried: {err}")
                rejected = True
            journal.ack(entry.op, rejected=rejected)
            sent += 1
            points += entry.n if entry.kind == "metrics" else 0
    finally:
        journal.close()
    log(f"{folder}: run {meta['run_id']}: {sent} operations sent ({points} points; "
        f"{duplicates} batches the server already had)")
    return {"folder": folder, "run_id": meta["run_id"], "sent": sent, "points": points, "duplicates": duplicates}


def sync(root: str, *, base_url: Optional[str] = None, api_key: Optional[str] = None, force: bool = False,
         log: Any = print) -> List[Dict[str, Any]]:
    """Sync every run folder under ``root`` (or ``root`` itself if it is one)."""
    out = []
    for folder in run_folders(root):
        meta = read_run_file(folder)
        url = base_url or os.environ.get("SIGHTLINE_BASE_URL") or meta.get("base_url") or "http://127.0.0.1:8787"
        http = HttpClient(url, api_key or os.environ.get("SIGHTLINE_API_KEY"))
        out.append(sync_folder(folder, http, force=force, log=log))
    return out


def prune(root: str, *, dry_run: bool = False, log: Any = print) -> List[str]:
    """Remove run folders whose every operation the server has answered, finish included."""
    import shutil
    gone = []
    for folder in run_folders(root):
        s = folder_status(folder)
        if s["synced"] and s["finished"] and not s["live"]:
            if not dry_run:
                shutil.rmtree(folder)
            gone.append(folder)
            log(f"{'would remove' if dry_run else 'removed'} {folder} (run {s['run_id']})")
    return gone


def main_status(root: str, out: Any = sys.stdout) -> int:
    folders = run_folders(root)
    if not folders:
        print(f"no runs under {root}", file=out)
        return 0
    unsynced = 0
    for folder in folders:
        s = folder_status(folder)
        state = "live" if s["live"] else ("synced" if s["synced"] else "UNSYNCED")
        unsynced += state == "UNSYNCED"
        print(f"{state:8} {os.path.basename(folder)}  run={s['run_id'] or '-'}  project={s['project']}  "
              f"pending: {s['pending_ops']} ops, {s['pending_points']} points, {s['pending_lines']} lines"
              f"{'' if s['finished'] else '  (no finish recorded)'}", file=out)
    print(f"{unsynced} of {len(folders)} runs need `sightline sync {root}`", file=out)
    return 0
