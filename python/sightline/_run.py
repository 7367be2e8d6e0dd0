"""A run: ``init()`` creates it (on the server, or only in the journal when
offline), ``log()`` hands points to the background pipeline and returns at
once, ``finish()`` drains the pipeline and marks the run's end."""
from __future__ import annotations

import json
import re
import sys
import time
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from . import _exit
from ._dicts import Config, Summary
from ._http import HttpClient, SightlineError
from ._journal import Journal
from ._pipeline import Pipeline

MAX_KEYS = 1_000
MAX_STEP = 2 ** 53 - 1
_KEY_RE = re.compile(r"^[A-Za-z0-9_./ -]{1,256}$")
_NUMBER_TYPES = (int, float)


def _flatten(data: Mapping[str, Any], prefix: str = "") -> Iterable[Tuple[str, Any]]:
    for k, v in data.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping):
            yield from _flatten(v, key + "/")
        else:
            yield key, v


def _as_number(v: Any) -> Optional[float]:
    """Plain numbers pass as they are; numpy and torch scalars (anything with
    ``__float__``, but not bool-likes or strings) become floats."""
    t = type(v)
    if t is float or t is int:
        return v
    if t is bool or isinstance(v, (str, bytes)) or v is None:
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


class Run:
    """One tracked run. Made by :func:`sightline.init`; use it as a context manager to finish it."""

    def __init__(self, *, project: str, run_id: Optional[str], data: Dict[str, Any], mode: str,
                 http: Optional[HttpClient], folder: Optional[str], journal: Optional[Journal],
                 config: Mapping[str, Any], opts: Dict[str, Any]):
        self.project = project
        self.id = run_id
        self.data = data
        self.name: str = data.get("name") or ""
        self.mode = mode
        self.dir = folder
        self.http = http
        self.errors: List[str] = []
        self._journal = journal
        self._quiet = bool(opts.get("quiet"))
        self._last: Dict[str, Any] = {}
        self._keys: set = set()
        self._bad_keys: set = set()
        self._next_step = 0
        self._finished = False
        self._warned_after_finish = False
        self._finish_timeout = float(opts.get("finish_timeout", 120.0))
        self._pipe: Optional[Pipeline] = None
        self._console = None
        self._system = None
        self.config = Config(self, config)
        self.summary = Summary(self)
        if mode == "disabled":
            self._finished = True
            return
        self._pipe = Pipeline(http=http if mode == "online" else None, run_id=run_id, journal=journal,
                              report=self._report, max_points=int(opts.get("batch_points", 1_000)),
                              interval=float(opts.get("batch_interval", 1.0)),
                              max_buffered=int(opts.get("max_buffered", 1_000_000)),
                              heartbeat=float(opts.get("heartbeat", 30.0)), gzip=bool(opts.get("gzip", True)))

    @property
    def url(self) -> Optional[str]:
        return f"{self.http.base_url}/runs/{self.id}" if self.http and self.id else None

    # ---- logging ----

    def log(self, data: Mapping[str, Any], step: Optional[int] = None, commit: bool = True,
            timestamp: Optional[float] = None) -> None:
        """Record metric values at ``step`` (default: one past the highest step so far).
        Returns at once; values go to the server in the background. Nested dicts
        become ``a/b`` keys; NaN and ±Infinity are kept; non-numbers are skipped with a warning."""
        if self._finished:
            return self._after_finish("log")
        # As in W&B: commit=False keeps an automatic step open for the next log() call.
        hold = step is None and not commit
        if step is None:
            step = self._next_step
        elif type(step) is not int or not 0 <= step <= MAX_STEP:
            try:
                step = int(step) if float(step) == int(step) and 0 <= int(step) <= MAX_STEP else None  # type: ignore[arg-type]
            except (TypeError, ValueError, OverflowError):
                step = None
            if step is None:
                return self._report("step must be an integer in 0…2^53-1; values skipped")
        if step >= self._next_step and not hold:
            self._next_step = step + 1
        points = self._points(data)
        if points:
            self._add(points, step, int((timestamp if timestamp is not None else time.time()) * 1000))

    def _points(self, data: Mapping[str, Any]) -> List[Tuple[str, Any]]:
        points = []
        keys, last = self._keys, self._last
        for key, v in (_flatten(data) if any(isinstance(v, Mapping) for v in data.values()) else data.items()):
            x = _as_number(v)
            if x is None or (key not in keys and not self._accept_key(key, v)):
                if x is None:
                    self._skip(key, f"is not a number ({type(v).__name__})")
                continue
            last[key] = x
            points.append((key, x))
        return points

    def _add_at(self, data: Mapping[str, Any], step: int) -> None:
        """Values at ``step`` without moving the automatic step (W&B's step_metric axes)."""
        if self._finished or self._pipe is None:
            return
        points = self._points(data)
        if points:
            self._add(points, step, int(time.time() * 1000))

    def _add(self, points: List[Tuple[str, Any]], step: int, ts: int) -> None:
        pipe = self._pipe
        with pipe.lock:  # type: ignore[union-attr]
            if pipe.admit(len(points)):  # type: ignore[union-attr]
                pipe.add_points(points, step, ts)  # type: ignore[union-attr]

    def _log_system(self, data: Mapping[str, float], step: int) -> None:
        """System metrics keep their own step (the sample number), apart from the training step."""
        if self._finished or self._pipe is None:
            return
        points = [(k, v) for k, v in data.items() if k in self._keys or self._accept_key(k, v)]
        if points:
            self._add(points, step, int(time.time() * 1000))

    def log_console(self, text: str, stream: str = "stdout") -> None:
        """Append console output to the run's log (batched like metrics); split into lines."""
        if self._finished or self._pipe is None:
            return
        parts = text.split("\n")
        if parts and parts[-1] == "":
            parts.pop()
        ts = int(time.time() * 1000)
        # What a terminal shows: after a carriage return, only the last redrawing of the line.
        parts = [p.rstrip("\r").rsplit("\r", 1)[-1] for p in parts]
        lines = [{"text": p[:65536], "stream": stream, "ts": ts} for p in parts]
        if not lines:
            return
        pipe = self._pipe
        with pipe.lock:
            if pipe.admit(len(lines)):
                pipe.add_lines(lines, sum(len(p) for p in parts))

    def _accept_key(self, key: str, v: Any) -> bool:
        if not isinstance(key, str) or not _KEY_RE.match(key) or key != key.strip():
            self._skip(key, "is not a valid key (1…256 of A-Z a-z 0-9 _ . / - space)")
            return False
        if len(self._keys) >= MAX_KEYS:
            self._skip(key, f"would exceed {MAX_KEYS} keys per run")
            return False
        self._keys.add(key)
        return True

    def _skip(self, key: Any, problem: str) -> None:
        # Once per key: a training loop would otherwise report it every step.
        if key not in self._bad_keys and len(self._bad_keys) < 100:
            self._bad_keys.add(key)
            self._report(f"metric {key!r} {problem}; its values are skipped")

    def _send_config(self, changes: Dict[str, Any]) -> None:
        if self._pipe is None or self._finished:
            return
        try:
            json.dumps(changes, allow_nan=False)
        except (TypeError, ValueError) as e:
            return self._report(f"config change not sent, not JSON: {e}")
        self._pipe.add_op("config", {"config": changes})

    def _send_summary(self, changes: Dict[str, Any]) -> Dict[str, Any]:
        """Queues summary overrides as a run PATCH (journaled like config, so
        ``sync`` sends them too); returns the changes it accepted."""
        ok: Dict[str, Any] = {}
        for key, v in changes.items():
            if not isinstance(key, str) or not _KEY_RE.match(key) or key != key.strip():
                self._report(f"summary key {key!r} is not valid (1…256 of A-Z a-z 0-9 _ . / - space); not set")
                continue
            try:
                json.dumps(v, allow_nan=False)
            except (TypeError, ValueError) as e:
                self._report(f"summary[{key!r}] not set, not JSON: {e}")
                continue
            ok[key] = v
        if ok and self._pipe is not None and not self._finished:
            self._pipe.add_op("config", {"summary": ok})
        return ok

    # ---- artifacts ----

    def log_artifact(self, path: str, name: str, type: str = "dataset", aliases: Optional[List[str]] = None,
                     metadata: Optional[Dict[str, Any]] = None, description: Optional[str] = None) -> Dict[str, Any]:
        """Upload a file or folder as a new version of artifact ``name`` (blocking; parts in parallel)."""
        from .artifacts import log_artifact
        self._need_online("log_artifact")
        return log_artifact(self.http, self.project, path, name=name, type=type, aliases=aliases,  # type: ignore[arg-type]
                            metadata=metadata, description=description, run_id=self.id)

    def use_artifact(self, ref: str) -> "Any":
        """``"name"``, ``"name:v3"`` or ``"name:best"``; call ``.download(root)`` on the result."""
        from .artifacts import ArtifactRef
        self._need_online("use_artifact")
        return ArtifactRef(self.http, self.project, ref, run_id=self.id)  # type: ignore[arg-type]

    def _need_online(self, what: str) -> None:
        if self.mode != "online" or self.http is None or self.id is None:
            raise SightlineError(f"{what} needs an online run (mode is {self.mode})", code="offline")

    # ---- the end ----

    def finish(self, exit_code: Optional[int] = None, status: Optional[str] = None,
               timeout: Optional[float] = None) -> None:
        """Send what is buffered (up to ``timeout`` s, default 120) and mark the run
        finished (or ``status``: failed, killed). Idempotent. Unsent batches stay in
        the journal for ``sightline sync``."""
        if self._finished:
            return
        with _exit.finishing():
            self._finish(exit_code, status, timeout)

    def _finish(self, exit_code: Optional[int], status: Optional[str], timeout: Optional[float]) -> None:
        _exit.unregister(self)
        # Before marking finished: a last unterminated console line still goes in.
        for part in (self._console, self._system):
            if part is not None:
                part.stop()
        self._finished = True
        if status is None:
            status = "finished" if not exit_code else "failed"
        body: Dict[str, Any] = {"status": status}
        if exit_code is not None:
            body["exit_code"] = int(exit_code)
        pipe = self._pipe
        if pipe is None:
            return
        pipe.add_op("finish", body)
        left = pipe.close(self._finish_timeout if timeout is None else timeout)
        if self._journal is not None:
            self._journal.close()
        if self.mode == "offline":
            self._say(f"offline run saved in {self.dir}; upload it with: sightline sync {self.dir}")
        elif left:
            self._say(f"gave up with {left} batches unsent; they are in {self.dir}: sightline sync {self.dir}")
        if pipe.stats["dropped"]:
            self._report(f"{pipe.stats['dropped']} points/lines were DROPPED (send buffer full)")

    def stats(self) -> Dict[str, int]:
        return dict(self._pipe.stats) if self._pipe else {}

    def __enter__(self) -> "Run":
        return self

    def __exit__(self, et: Any, ev: Any, tb: Any) -> None:
        if et is None:
            self.finish()
        elif issubclass(et, KeyboardInterrupt):
            self.finish(exit_code=130, status="killed")
        else:
            _exit.log_traceback(self, et, ev, tb)
            self.finish(exit_code=1, status="failed")

    def _after_finish(self, what: str) -> None:
        if not self._warned_after_finish and self.mode != "disabled":
            self._warned_after_finish = True
            self._report(f"{what}() after finish() is ignored")

    def _report(self, message: str) -> None:
        if len(self.errors) < 100:
            self.errors.append(message)
        self._say(message)

    def _say(self, message: str) -> None:
        if not self._quiet:
            stream = getattr(sys, "__stderr__", None) or sys.stderr
            try:
                stream.write(f"sightline: {message}\n")
            except (OSError, ValueError):
                pass
