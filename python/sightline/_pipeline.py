"""The background half of a run: a writer thread that seals batches, numbers
them (``seq`` per stream) and journals them, and a sender thread that posts
them in order, retrying with the same ``seq`` until the server answers.

The caller's thread only appends to column lists under a lock (``log()`` costs
microseconds); sealing swaps the lists out, and everything slow (JSON, disk,
network) happens on the two daemon threads."""
from __future__ import annotations

import collections
import json
import math
import sys
import threading
import time
from typing import Any, Callable, Deque, Dict, List, Optional

from ._http import HttpClient, SightlineError, encode_value
from ._journal import Entry, Journal

MAX_BATCH_POINTS = 10_000  # the server refuses bigger metric batches whole (413)
MAX_BATCH_LINES = 1_000
MAX_BATCH_LINE_BYTES = 512 * 1024
# Past this many body bytes waiting to be sent, journaled batches are dropped
# from memory and re-read from the journal when their turn comes.
MAX_QUEUED_BYTES = 32 * 1024 * 1024

_Sealed = collections.namedtuple("_Sealed", "kind payload n")


def _finite(values: List[Any]) -> List[Any]:
    isfinite = math.isfinite
    if all(isfinite(v) for v in values):
        return values
    return [v if isfinite(v) else encode_value(v) for v in values]


def _columns(c: List[List[Any]]) -> Dict[str, List[Any]]:
    n = len(c[0])
    if len(c[1]) != n or len(c[2]) != n:
        # A signal handler that raised (SIGTERM → SystemExit) between the three
        # appends of one point: drop that half point, keep the batch valid.
        n = min(n, len(c[1]), len(c[2]))
        c = [c[0][:n], c[1][:n], c[2][:n]]
    return {"steps": c[0], "values": _finite(c[1]), "timestamps": c[2]}


class Pipeline:
    def __init__(self, *, http: Optional[HttpClient], run_id: Optional[str], journal: Optional[Journal],
                 report: Callable[[str], None], max_points: int = 1_000, interval: float = 1.0,
                 max_buffered: int = 1_000_000, heartbeat: float = 30.0, gzip: bool = True):
        self.http, self.run_id, self.journal, self.report = http, run_id, journal, report
        self.max_points = min(max_points, MAX_BATCH_POINTS)
        self.interval, self.max_buffered, self.heartbeat, self.gzip = interval, max_buffered, heartbeat, gzip
        self.lock = threading.RLock()
        self.cond = threading.Condition(self.lock)
        # Metric columns being collected: key -> [steps, values, timestamps].
        self.cols: Dict[str, List[List[Any]]] = {}
        self.count = 0
        self.since = 0.0
        self.lines: List[Dict[str, Any]] = []
        self.line_bytes = 0
        self.lines_since = 0.0
        self.sealed: Deque[_Sealed] = collections.deque()
        self.sealed_points = 0
        self.seqs = {"metrics": 0, "logs": 0}
        self.closing = False
        # Sender side.
        self.send_cond = threading.Condition()
        self.send_q: Deque[Entry] = collections.deque()
        self.queued_points = 0   # points/lines held in memory by send_q
        self.queued_bytes = 0
        self.busy = False
        self.stop = threading.Event()
        self.stats = {"sent": 0, "rejected": 0, "dropped": 0, "batches": 0, "retries": 0}
        self._dropped_warned = 0
        self.writer = threading.Thread(target=self._write_loop, name="sightline-writer", daemon=True)
        self.writer.start()
        self.sender: Optional[threading.Thread] = None
        if http is not None and run_id is not None:
            self.sender = threading.Thread(target=self._send_loop, name="sightline-sender", daemon=True)
            self.sender.start()

    # ---- caller side (holds self.lock briefly) ----

    def held(self) -> int:
        return self.count + len(self.lines) + self.sealed_points + self.queued_points

    def admit(self, n: int) -> bool:
        if self.held() + n <= self.max_buffered:
            return True
        self.stats["dropped"] += n
        d = self.stats["dropped"]
        # Loud, but not once per call: at the first drop and at each ×10.
        if d >= self._dropped_warned * 10:
            self._dropped_warned = max(1, d)
            self.report(f"the send buffer is full (the server is unreachable or slower than logging); "
                        f"{d} points/lines DROPPED so far")
        return False

    def add_points(self, points: List[Any], step: int, ts: int) -> None:
        """``points`` is a list of (key, float) already validated; called with self.lock held."""
        n = len(points)
        if self.count + n > MAX_BATCH_POINTS:
            self._seal_metrics()
        if self.count == 0:
            # The writer sleeps until data exists: wake it to start this batch's interval.
            self.since = time.monotonic()
            self.cond.notify()
        cols = self.cols
        for key, v in points:
            col = cols.get(key)
            if col is None:
                col = cols[key] = [[], [], []]
            col[0].append(step)
            col[1].append(v)
            col[2].append(ts)
        self.count += n
        cap = MAX_BATCH_POINTS if self.busy else self.max_points
        if self.count >= cap:
            self._seal_metrics()

    def add_lines(self, lines: List[Dict[str, Any]], nbytes: int) -> None:
        if not self.lines:
            self.lines_since = time.monotonic()
            self.cond.notify()
        self.lines.extend(lines)
        self.line_bytes += nbytes
        if len(self.lines) >= MAX_BATCH_LINES or self.line_bytes >= MAX_BATCH_LINE_BYTES:
            self._seal_lines()

    def add_op(self, kind: str, body: Dict[str, Any]) -> None:
        """Config changes and finish go through the same ordered pipe as the data."""
        with self.lock:
            self._seal_metrics()
            self._seal_lines()
            self.sealed.append(_Sealed(kind, body, 0))
            self.cond.notify()

    def _seal_metrics(self) -> None:
        if self.count:
            self.sealed.append(_Sealed("metrics", self.cols, self.count))
            self.sealed_points += self.count
            self.cols, self.count = {}, 0
            self.cond.notify()

    def _seal_lines(self) -> None:
        while self.lines:
            chunk, self.lines = self.lines[:MAX_BATCH_LINES], self.lines[MAX_BATCH_LINES:]
            self.sealed.append(_Sealed("logs", chunk, len(chunk)))
            self.sealed_points += len(chunk)
        self.line_bytes = 0
        self.cond.notify()

    # ---- writer thread: seal on interval, number, journal, hand to the sender ----

    def _write_loop(self) -> None:
        while True:
            with self.cond:
                while not self.sealed and not self.closing:
                    now = time.monotonic()
                    due = min(self.since + self.interval if self.count else math.inf,
                              self.lines_since + self.interval if self.lines else math.inf)
                    if due <= now:
                        self._seal_metrics()
                        self._seal_lines()
                        break
                    self.cond.wait(None if due == math.inf else due - now)
                if self.closing:
                    self._seal_metrics()
                    self._seal_lines()
                items = list(self.sealed)
                self.sealed.clear()
                closing = self.closing
            for item in items:
                try:
                    self._journal_one(item)
                except Exception as e:  # a bug must not end the writer thread silently
                    self.report(f"journal write failed: {e!r}")
                with self.lock:
                    self.sealed_points -= item.n
            if closing and not items:
                return

    def _journal_one(self, item: _Sealed) -> None:
        seq = None
        if item.kind == "metrics":
            seq = self.seqs["metrics"]
            self.seqs["metrics"] += 1
            metrics = {k: _columns(c) for k, c in item.payload.items()}
            body = {"seq": seq, "metrics": metrics}
        elif item.kind == "logs":
            seq = self.seqs["logs"]
            self.seqs["logs"] += 1
            body = {"seq": seq, "lines": item.payload}
        else:
            body = item.payload
        raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8", "surrogatepass")
        entry = None
        if self.journal is not None:
            try:
                entry = self.journal.append(item.kind, raw, seq, item.n)
            except OSError as e:
                # A full or vanished disk: still send from memory (no ack, no re-read), loudly.
                self.report(f"journal write failed ({e}); {item.kind} seq={seq} is sent without a journal copy")
        if entry is None:
            entry = Entry(-1, item.kind, seq, item.n, raw)
        if self.sender is None:
            return
        with self.send_cond:
            if self.journal is not None and entry.op >= 0 and self.queued_bytes > MAX_QUEUED_BYTES:
                entry.body = None  # re-read from the journal when its turn comes
            else:
                self.queued_bytes += len(raw)
                with self.lock:
                    self.queued_points += item.n
            self.send_q.append(entry)
            self.send_cond.notify()

    # ---- sender thread: one request in flight, in journal order ----

    def _send_loop(self) -> None:
        assert self.http is not None and self.run_id is not None
        base = f"/api/v1/runs/{self.run_id}"
        last_beat = time.monotonic()
        while not self.stop.is_set():
            with self.send_cond:
                if not self.send_q:
                    self.busy = False
                    self.send_cond.notify_all()
                    wait = (last_beat + self.heartbeat - time.monotonic()) if self.heartbeat > 0 else None
                    if wait is None or wait > 0:
                        self.send_cond.wait(wait)
                if self.stop.is_set():
                    return
                entry = self.send_q[0] if self.send_q else None
                self.busy = entry is not None
            if entry is None:
                if self.heartbeat > 0 and time.monotonic() - last_beat >= self.heartbeat:
                    last_beat = time.monotonic()
                    self._beat(base)
                continue
            in_memory = entry.body is not None
            try:
                send_one(self.http, base, entry, self.journal, gzip=self.gzip, stop=self.stop)
                outcome = "sent"
                last_beat = time.monotonic()  # any accepted write keeps the run alive
            except SightlineError as err:
                if err.code == "aborted":
                    return
                outcome = "rejected"
                self.report(f"{entry.kind} batch seq={entry.seq} refused, not retried: {err}")
            except Exception as e:  # a bug or a vanished journal file must not end the thread silently
                self.report(f"sending {entry.kind} seq={entry.seq} failed: {e!r}; retrying")
                if self.stop.wait(1.0):
                    return
                continue
            if self.journal is not None and entry.op >= 0:
                self.journal.ack(entry.op, rejected=outcome == "rejected")
            with self.send_cond:
                self.send_q.popleft()
                if in_memory:
                    self.queued_bytes -= entry.length or len(entry.body or b"")
                    with self.lock:
                        self.queued_points -= entry.n
                self.stats["sent" if outcome == "sent" else "rejected"] += entry.n
                self.stats["batches"] += 1
            # A slot is free: what collected while we were busy goes now if it is a full batch.
            with self.lock:
                if self.count >= self.max_points:
                    self._seal_metrics()

    def _beat(self, base: str) -> None:
        try:
            self.http.request("POST", base + "/heartbeat", max_attempts=2, stop=self.stop)  # type: ignore[union-attr]
        except SightlineError as err:
            # A missed heartbeat is harmless (the next one revives the run); a 4xx is not.
            if not err.retryable and err.code != "aborted":
                self.report(f"heartbeat refused: {err}")

    # ---- shutdown ----

    def close(self, timeout: float) -> int:
        """Seal and journal everything, wait up to ``timeout`` s for the sender to
        drain, then stop it. Returns the number of operations left unsent."""
        deadline = time.monotonic() + timeout
        with self.cond:
            self.closing = True
            self.cond.notify()
        self.writer.join(max(0.0, deadline - time.monotonic()))
        if self.sender is None:
            return 0
        with self.send_cond:
            while (self.send_q or self.writer.is_alive()) and time.monotonic() < deadline:
                self.send_cond.wait(min(0.5, max(0.0, deadline - time.monotonic())))
            left = len(self.send_q)
            self.stop.set()
            self.send_cond.notify_all()
        self.sender.join(2.0)
        return left


def send_one(http: HttpClient, base: str, entry: Entry, journal: Optional[Journal], *, gzip: bool,
             stop: Optional[threading.Event], max_attempts: float = math.inf) -> Any:
    """One journaled operation to its route. Batches retry until they are stored
    (network errors, 429, 5xx): their seq makes a repeat a no-op on the server."""
    raw = entry.body if entry.body is not None else journal.read_body(entry)  # type: ignore[union-attr]
    if entry.kind == "metrics":
        return http.request("POST", base + "/metrics", raw=raw, gzip_body=gzip, max_attempts=max_attempts, stop=stop)
    elif entry.kind == "logs":
        # The contract takes gzip on metric ingest only.
        return http.request("POST", base + "/logs", raw=raw, max_attempts=max_attempts, stop=stop)
    elif entry.kind == "config":
        return http.request("PATCH", base, raw=raw, max_attempts=max_attempts, stop=stop)
    elif entry.kind == "finish":
        return http.request("POST", base + "/finish", raw=raw, max_attempts=min(max_attempts, 8), stop=stop)
    else:
        print(f"sightline: unknown journal entry {entry.kind!r} skipped", file=sys.stderr)
    return None
