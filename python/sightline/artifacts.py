"""Artifacts: hash the files, announce them, PUT only what the server asks for
(straight to object storage through presigned URLs; big files in parts, in
parallel, with retries), then commit. Content-addressed by sha256, so bytes
the team already stored are not sent again, and an interrupted upload resumes
by logging the same files again. Downloads verify every file's size and sha256
and skip files already present with the right hash."""
from __future__ import annotations

import hashlib
import os
import random
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import quote

from ._http import HttpClient

CHUNK = 1 << 20


def _seg(s: str) -> str:
    return quote(s, safe="")


def sha256_file(path: str) -> Tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while True:
            b = f.read(CHUNK)
            if not b:
                break
            h.update(b)
            size += len(b)
    return h.hexdigest(), size


def collect(path: str, prefix: str = "") -> List[Tuple[str, str]]:
    """(absolute path, artifact path) of every regular file under ``path`` (or the file itself)."""
    root = os.path.abspath(path)
    if os.path.isfile(root):
        return [(root, prefix + os.path.basename(root))]
    if not os.path.isdir(root):
        raise FileNotFoundError(path)
    pairs = []
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            if os.path.isfile(p):
                pairs.append((p, prefix + os.path.relpath(p, root).replace(os.sep, "/")))
    return sorted(pairs, key=lambda t: t[1])


def hash_tree(path: Any) -> List[Dict[str, Any]]:
    """A file or folder, or a list of (absolute path, artifact path) pairs, hashed."""
    pairs = collect(path) if isinstance(path, str) else list(path)
    with ThreadPoolExecutor(4) as ex:
        hashes = list(ex.map(lambda t: sha256_file(t[0]), pairs))
    return [{"path": rel, "size": size, "sha256": sha, "abs": p} for (p, rel), (sha, size) in zip(pairs, hashes)]


class _Progress:
    """A one-line progress bar on a terminal; silent otherwise."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.done = label, total, 0
        self.lock = threading.Lock()
        self.tty = bool(getattr(sys.__stderr__, "isatty", lambda: False)())
        self.last = 0.0
        self.add(0)

    def add(self, n: int) -> None:
        with self.lock:
            self.done += n
            now = time.monotonic()
            if self.tty and (now - self.last > 0.1 or self.done >= self.total):
                self.last = now
                pct = 100.0 * self.done / self.total if self.total else 100.0
                bar = "#" * int(pct / 4)
                sys.__stderr__.write(f"\r{self.label} [{bar:<25}] {pct:5.1f}% {self.done / 1e6:.1f}/{self.total / 1e6:.1f} MB")
                if self.done >= self.total:
                    sys.__stderr__.write("\n")
                sys.__stderr__.flush()


def _with_retries(attempts: int, fn: Callable[[], Any]) -> Any:
    for i in range(1, attempts + 1):
        try:
            return fn()
        except urllib.error.HTTPError as e:
            # A 403 is an expired or refused URL: the same URL will not work again.
            if i >= attempts or e.code == 403 or (400 <= e.code < 500 and e.code not in (408, 429)):
                raise
        except OSError:
            if i >= attempts:
                raise
        time.sleep(random.random() * min(8.0, 0.25 * 2 ** i))


def _put(url: str, data: bytes, timeout: float) -> None:
    req = urllib.request.Request(url, data=data, method="PUT", headers={"content-length": str(len(data))})
    with urllib.request.urlopen(req, timeout=timeout) as res:
        res.read()


def _read_range(path: str, offset: int, length: int) -> bytes:
    with open(path, "rb") as f:
        f.seek(offset)
        data = f.read(length)
    if len(data) != length:
        raise OSError(f"{path} shrank while uploading")
    return data


def log_artifact(http: HttpClient, project: str, path: str, *, name: str, type: str, aliases: Optional[List[str]] = None,
                 metadata: Optional[Dict[str, Any]] = None, description: Optional[str] = None, run_id: Optional[str] = None,
                 concurrency: int = 4, attempts: int = 5, progress: bool = True) -> Dict[str, Any]:
    files = hash_tree(path)
    base = f"/api/v1/projects/{_seg(project)}/artifacts/{_seg(name)}"
    body: Dict[str, Any] = {"type": type, "files": [{k: f[k] for k in ("path", "size", "sha256")} for f in files]}
    for k, v in (("aliases", aliases), ("metadata", metadata), ("description", description), ("run_id", run_id)):
        if v is not None:
            body[k] = v
    announced = http.request("POST", f"{base}/versions", body)
    by_sha = {f["sha256"]: f["abs"] for f in files}
    jobs: List[Tuple[str, str, int, int]] = []
    for u in announced["uploads"]:
        abs_path = by_sha[u["sha256"]]
        if u["method"] == "PUT":
            jobs.append((u["url"], abs_path, 0, u["size"]))
        else:
            for p in u["parts"]:
                off = (p["part_number"] - 1) * u["part_size"]
                jobs.append((p["url"], abs_path, off, min(u["part_size"], u["size"] - off)))
    bar = _Progress(f"upload {name}", sum(j[3] for j in jobs)) if progress and jobs else None

    def run(job: Tuple[str, str, int, int]) -> None:
        url, abs_path, off, length = job
        data = _read_range(abs_path, off, length)
        _with_retries(attempts, lambda: _put(url, data, http.timeout * 4))
        if bar:
            bar.add(length)

    with ThreadPoolExecutor(max(1, concurrency)) as ex:
        for _ in ex.map(run, jobs):
            pass
    committed = http.request("POST", f"{base}/versions/{_seg(announced['version']['id'])}/commit", max_attempts=5)
    version = committed["version"]
    version["uploaded_bytes"] = sum(j[3] for j in jobs)
    return version


def split_ref(ref: str) -> Tuple[str, str]:
    name, sep, version = ref.rpartition(":")
    return (name, version) if sep else (ref, "latest")


class ArtifactRef:
    """An artifact version that a run uses; ``download()`` fetches and verifies it."""

    def __init__(self, http: HttpClient, project: str, ref: str, run_id: Optional[str] = None):
        self.http, self.project, self.run_id = http, project, run_id
        self.name, self.version_ref = split_ref(ref)
        res = http.request("GET", f"/api/v1/projects/{_seg(project)}/artifacts/{_seg(self.name)}/versions/{_seg(self.version_ref)}")
        self.version: Dict[str, Any] = res["version"]
        self.files: List[Dict[str, Any]] = res["files"]
        if run_id:
            http.request("POST", f"/api/v1/runs/{_seg(run_id)}/artifacts/inputs",
                         {"project": project, "artifact": self.name, "version": self.version["id"]})

    def download(self, root: Optional[str] = None, concurrency: int = 4, attempts: int = 5, progress: bool = True) -> str:
        """Files land under ``root`` (default ``./artifacts/<name>-v<N>``); returns the folder."""
        root = os.path.abspath(root or os.path.join("artifacts", f"{self.name}-v{self.version.get('version')}"))
        todo = []
        for f in self.files:
            target = os.path.abspath(os.path.join(root, f["path"]))
            if not target.startswith(root + os.sep):
                raise ValueError(f"refusing a path outside {root}: {f['path']}")
            if os.path.isfile(target) and os.path.getsize(target) == f["size"] and sha256_file(target)[0] == f["sha256"]:
                continue  # already here, verified: a re-run resumes
            todo.append((f, target))
        bar = _Progress(f"download {self.name}", sum(f["size"] for f, _ in todo)) if progress and todo else None

        def fetch(item: Tuple[Dict[str, Any], str]) -> None:
            f, target = item
            os.makedirs(os.path.dirname(target), exist_ok=True)
            _with_retries(attempts, lambda: _download(f, target, bar))

        with ThreadPoolExecutor(max(1, concurrency)) as ex:
            for _ in ex.map(fetch, todo):
                pass
        return root


def _download(f: Dict[str, Any], target: str, bar: Optional[_Progress]) -> None:
    # Streams to a temporary name while hashing; only verified bytes get the real name.
    tmp = target + ".part"
    h = hashlib.sha256()
    size = 0
    with urllib.request.urlopen(f["url"], timeout=120) as res, open(tmp, "wb") as out:
        while True:
            b = res.read(CHUNK)
            if not b:
                break
            h.update(b)
            out.write(b)
            size += len(b)
            if bar:
                bar.add(len(b))
    if size != f["size"] or h.hexdigest() != f["sha256"]:
        os.remove(tmp)
        raise OSError(f"{f['path']}: downloaded {size} bytes with sha256 {h.hexdigest()}, expected {f['size']} bytes {f['sha256']}")
    os.replace(tmp, target)
