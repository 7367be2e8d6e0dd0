"""Creating a run exactly once. Run creation has no idempotency key on the
server, so a create whose answer was lost (the server stored it, the network
dropped the reply) would make a second run when retried. Each run carries its
journal id as ``system.client_run_id``; before any retry (and before a sync
creates a run that a killed sync may have created already) the project's
newest runs are searched for it."""
from __future__ import annotations

import time
from typing import Any, Dict, Optional, Tuple
from urllib.parse import quote

from ._http import HttpClient, SightlineError


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
