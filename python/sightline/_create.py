"""Creating a run: on the server (exactly once), in the journal, or both.

Run creation has no idempotency key on the
server, so a create whose answer was lost (the server stored it, the network
dropped the reply) would make a second run when retried. Each run carries its
journal id as ``system.client_run_id``; before any retry (and before a sync
creates a run that a killed sync may have created already) the project's
newest runs are searched for it."""
from __future__ import annotations

import json
import os
import sys
import time
import uuid
from typing import Any, Dict, List, Mapping, Optional, Tuple
from urllib.parse import quote

from ._http import HttpClient, SightlineError
from ._journal import Journal, default_root, write_run_file
from ._run import Run


def _path(project: str) -> str:
    return f"/api/v1/projects/{quote(project, safe='')}/runs"


def find_run(http: HttpClient, project: str, client_run_id: str) -> Optional[Dict[str, Any]]:
    try:
        res = http.request("GET", _path(project) + "?limit=50", max_attempts=2)
    except SightlineError as err:
        if err.status == 404:
            return None  # no such project yet: the create never happened
        raise
    for run in res.get("runs", []):
        if (run.get("system") or {}).get("client_run_id") == client_run_id:
            return run
    return None


def create_once(http: HttpClient, project: str, body: Dict[str, Any], attempts: float,
                search_first: bool = False) -> Tuple[Dict[str, Any], bool]:
    """The run, and whether this call created it (False: an earlier try had)."""
    client_run_id = (body.get("system") or {}).get("client_run_id")
    attempt = 0
    while True:
        attempt += 1
        try:
            if client_run_id and (attempt > 1 or search_first):
                found = find_run(http, project, client_run_id)
                if found is not None:
                    return found, False
            return http.request("POST", _path(project), body, max_attempts=1)["run"], True
        except SightlineError as err:
            if not err.retryable or attempt >= attempts:
                raise
            delay = http.backoff(attempt)
            if err.retry_after is not None:
                delay = max(delay, min(err.retry_after, http.max_retry_after))
            time.sleep(delay)


def new_local_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:8]


def create_run(*, project: str, name: Optional[str], config: Optional[Mapping[str, Any]], tags: Optional[List[str]],
               notes: Optional[str], mode: str, base_url: Optional[str], api_key: Optional[str],
               dir: Optional[str], capture_git: bool, opts: Dict[str, Any]) -> Run:
    from ._env import git_info, host_name, system_info
    base_url = (base_url or os.environ.get("SIGHTLINE_BASE_URL") or "http://127.0.0.1:8787").rstrip("/")
    api_key = api_key or os.environ.get("SIGHTLINE_API_KEY")
    config = dict(config or {})
    if mode == "disabled":
        return Run(project=project, run_id=None, data={"name": name or ""}, mode=mode, http=None, folder=None,
                   journal=None, config=config, opts=opts)
    local_id = new_local_id()
    body: Dict[str, Any] = {"config": config, "git": git_info() if capture_git else None, "host": host_name(),
                            "system": {**system_info(), "client_run_id": local_id}}
    for k, v in (("name", name), ("tags", tags), ("notes", notes)):
        if v is not None:
            body[k] = v
    json.dumps(body, allow_nan=False)  # a config that is not JSON fails here, loudly, not in a thread
    http = HttpClient(base_url, api_key, timeout=float(opts.get("timeout", 30.0)))
    data: Dict[str, Any] = {"name": name or ""}
    run_id = None
    if mode == "online":
        try:
            data, _ = create_once(http, project, body, attempts=int(opts.get("init_attempts", 4)))
            run_id = data["id"]
        except SightlineError as err:
            if not err.retryable:
                raise
            # The server is out of reach: keep the run in the journal; sync uploads it later.
            print(f"sightline: cannot reach {base_url} ({err}); running offline, sync later with `sightline sync`",
                  file=sys.stderr)
            mode = "offline"
    journal = None
    folder = None
    if opts.get("journal", True):
        folder = os.path.join(dir or default_root(), f"run-{local_id}")
        write_run_file(folder, {"local_id": local_id, "project": project, "create": body, "base_url": base_url,
                                "run_id": run_id, "mode": mode, "pid": os.getpid(), "started_at": time.time()})
        journal = Journal(folder, fsync=str(opts.get("fsync", "batch")))
    elif mode == "offline":
        raise ValueError("mode='offline' needs the journal (journal=True)")
    return Run(project=project, run_id=run_id, data=data, mode=mode, http=http, folder=folder, journal=journal,
               config=config, opts=opts)

