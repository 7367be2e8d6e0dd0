"""The local journal: every batch is written here before it is sent.

One folder per run under SIGHTLINE_DIR (default ``./.sightline-runs``):

- ``run.json``     what is needed to create the run on the server, and its
                   server id once it has one (rewritten atomically);
- ``journal.log``  one line per operation, ``<header json>\\t<body json>\\n``;
                   the header carries ``op`` (the line's number), ``t`` (metrics,
                   logs, config, finish), ``seq`` for batches and ``n`` (points
                   or lines); the body is the exact request body;
- ``acks.log``     one ``{"op": N}`` line per operation the server answered.

A batch is appended (and flushed to the OS) before it is sent, so a killed
process leaves every sealed batch on disk. With ``fsync="batch"`` (default)
each append is also fsynced from the background thread, so a power cut loses
at most the batch being written; ``fsync="finish"`` syncs only at finish.
Sending again is harmless: metric and log batches carry their ``seq`` and the
server stores each (run, seq) once, which is what makes ``sightline sync``
exactly once even when an ack line was lost with the process.
"""
from __future__ import annotations

import json
import os
import threading
from typing import Any, Dict, Iterator, List, Optional, Set, Tuple

RUN_FILE = "run.json"
JOURNAL_FILE = "journal.log"
ACKS_FILE = "acks.log"


def default_root() -> str:
    return os.environ.get("SIGHTLINE_DIR") or os.path.join(os.getcwd(), ".sightline-runs")


class Entry:
    __slots__ = ("op", "kind", "seq", "n", "body", "offset", "length")

    def __init__(self, op: int, kind: str, seq: Optional[int], n: int, body: Optional[bytes],
                 offset: int = -1, length: int = 0):
        self.op, self.kind, self.seq, self.n, self.body = op, kind, seq, n, body
        self.offset, self.length = offset, length


class Journal:
    """Append-only writer for one run folder; reading is done by ``read_entries``."""

    def __init__(self, folder: str, fsync: str = "batch"):
        self.folder = folder
        self.fsync = fsync
        os.makedirs(folder, exist_ok=True)
        self._lock = threading.Lock()
        self._log = open(os.path.join(folder, JOURNAL_FILE), "ab")
        self._acks = open(os.path.join(folder, ACKS_FILE), "ab")
        self._offset = self._log.seek(0, os.SEEK_END)
        self.next_op = sum(1 for _ in read_entries(folder))

    def append(self, kind: str, body: bytes, seq: Optional[int] = None, n: int = 0) -> Entry:
        with self._lock:
            header: Dict[str, Any] = {"op": self.next_op, "t": kind, "n": n}
            if seq is not None:
                header["seq"] = seq
            line = json.dumps(header, separators=(",", ":")).encode() + b"\t" + body + b"\n"
            self._log.write(line)
            self._log.flush()
            if self.fsync == "batch":
                os.fsync(self._log.fileno())
            start = self._offset + len(line) - len(body) - 1
            self._offset += len(line)
            entry = Entry(self.next_op, kind, seq, n, body, start, len(body))
            self.next_op += 1
            return entry

    def read_body(self, entry: Entry) -> bytes:
        with open(os.path.join(self.folder, JOURNAL_FILE), "rb") as f:
            f.seek(entry.offset)
            return f.read(entry.length)

    def ack(self, op: int, rejected: bool = False) -> None:
        with self._lock:
            if self._acks.closed:
                return  # a send that outlived finish's deadline: sync will find it a duplicate
            rec = {"op": op, "rejected": True} if rejected else {"op": op}
            self._acks.write(json.dumps(rec).encode() + b"\n")
            self._acks.flush()

    def close(self) -> None:
        with self._lock:
            for f in (self._log, self._acks):
                if not f.closed:
                    f.flush()
                    os.fsync(f.fileno())
                    f.close()


def write_run_file(folder: str, meta: Dict[str, Any]) -> None:
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, RUN_FILE + ".tmp")
    with open(tmp, "w") as f:
        json.dump(meta, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, os.path.join(folder, RUN_FILE))


def read_run_file(folder: str) -> Dict[str, Any]:
    with open(os.path.join(folder, RUN_FILE)) as f:
        return json.load(f)


def read_entries(folder: str) -> Iterator[Tuple[Dict[str, Any], bytes]]:
    """Complete lines only: a line torn by a crash mid-write was never sent, and is skipped."""
    path = os.path.join(folder, JOURNAL_FILE)
    if not os.path.exists(path):
        return
    with open(path, "rb") as f:
        for line in f:
            if not line.endswith(b"\n"):
                return
            head, sep, body = line[:-1].partition(b"\t")
            try:
                header = json.loads(head)
            except ValueError:
                return
            if sep:
                yield header, body


def read_acks(folder: str) -> Set[int]:
    path = os.path.join(folder, ACKS_FILE)
    done: Set[int] = set()
    if not os.path.exists(path):
        return done
    with open(path, "rb") as f:
        for line in f:
            try:
                done.add(int(json.loads(line)["op"]))
            except (ValueError, KeyError, TypeError):
                continue  # a torn last line: that op is simply sent again
    return done


def run_folders(root: str) -> List[str]:
    """``root`` itself if it is a run folder, else its run folders (oldest first)."""
    if os.path.exists(os.path.join(root, RUN_FILE)):
        return [root]
    if not os.path.isdir(root):
        return []
    subs = [os.path.join(root, d) for d in sorted(os.listdir(root))]
    return [d for d in subs if os.path.exists(os.path.join(d, RUN_FILE))]
