"""Sightline's Python SDK: ``run = sightline.init(project=...)``, ``run.log({...})``, ``run.finish()``.

Every batch is written to a local journal before it is sent (see ``_journal``),
so offline runs, outages and kills lose nothing, and ``sightline sync`` uploads
what is left exactly once."""
from __future__ import annotations

import os
from typing import Any, Dict, List, Mapping, Optional

from . import _exit
from ._http import SightlineError
from ._create import create_run
from ._dicts import Config, Summary
from ._run import Run

__all__ = ["init", "log", "finish", "Run", "Config", "Summary", "SightlineError", "run"]
__version__ = "0.1.0"

run: Optional[Run] = None
"""The run made by the last :func:`init` (until it finishes), as ``wandb.run``."""


def init(project: Optional[str] = None, name: Optional[str] = None, config: Optional[Mapping[str, Any]] = None,
         tags: Optional[List[str]] = None, notes: Optional[str] = None, mode: Optional[str] = None, *,
         base_url: Optional[str] = None, api_key: Optional[str] = None, dir: Optional[str] = None,
         console: bool = True, system_metrics: Optional[float] = 15.0, capture_git: bool = True,
         exit_hooks: bool = True, **options: Any) -> Run:
    """Start a run.

    mode: ``"online"`` (send in the background, journaled first), ``"offline"``
    (journal only; upload later with ``sightline sync``) or ``"disabled"`` (no-op);
    default ``$SIGHTLINE_MODE`` or online. ``dir`` is the journal root
    (default ``$SIGHTLINE_DIR`` or ``./.sightline-runs``). ``console`` tees stdout
    and stderr into the run's log; ``system_metrics`` is the sampling period in
    seconds (``None`` or 0: off).

    Advanced ``options``: ``batch_points`` (1000), ``batch_interval`` (1.0 s),
    ``max_buffered`` (1,000,000 points in memory), ``heartbeat`` (30 s),
    ``finish_timeout`` (120 s), ``fsync`` ("batch" or "finish"), ``journal``
    (True), ``timeout`` (30 s per request), ``gzip`` (True), ``quiet`` (False).
    """
    global run
    mode = mode or os.environ.get("SIGHTLINE_MODE") or "online"
    if mode not in ("online", "offline", "disabled"):
        raise ValueError(f"mode must be online, offline or disabled (got {mode!r})")
    project = project or os.environ.get("SIGHTLINE_PROJECT") or "uncategorized"
    r = create_run(project=project, name=name, config=config, tags=tags, notes=notes, mode=mode,
                   base_url=base_url, api_key=api_key, dir=dir, capture_git=capture_git, opts=options)
    if r.mode != "disabled":
        if console:
            from ._console import ConsoleCapture
            r._console = ConsoleCapture(r)
        if system_metrics:
            from ._system import SystemMonitor
            r._system = SystemMonitor(r, float(system_metrics))
        if exit_hooks:
            _exit.register(r)
    run = r
    return r


def log(data: Mapping[str, Any], step: Optional[int] = None, commit: bool = True) -> None:
    """``run.log`` on the current run."""
    if run is None:
        raise SightlineError("sightline.log() before sightline.init()", code="no_run")
    run.log(data, step=step, commit=commit)


def finish(exit_code: Optional[int] = None, status: Optional[str] = None) -> None:
    """``run.finish`` on the current run; then there is no current run."""
    global run
    if run is not None:
        run.finish(exit_code=exit_code, status=status)
        run = None
