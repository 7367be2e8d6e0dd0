"""Fixtures for tests against the real stack (the Worker in workerd, Postgres,
the verifying S3 store), started by tests/python-sdk.test.ts, which passes its
URL in SIGHTLINE_BASE_URL. Each test module signs up its own team."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from typing import Any, Dict, List, Optional

import pytest

BASE_URL = os.environ.get("SIGHTLINE_BASE_URL", "")


class Api:
    def __init__(self, base_url: str, key: str):
        self.base_url, self.key = base_url, key

    def call(self, method: str, path: str, body: Any = None, raw: bool = False) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base_url + path, data=data, method=method,
                                     headers={"authorization": f"Bearer {self.key}", "content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as res:
            text = res.read().decode()
        return text if raw else (json.loads(text) if text else None)

    def run(self, run_id: str) -> Dict[str, Any]:
        return self.call("GET", f"/api/v1/runs/{run_id}")["run"]

    def counts(self, run_id: str) -> Dict[str, int]:
        return {m["key"]: m["count"] for m in self.call("GET", f"/api/v1/runs/{run_id}/metrics")["metrics"]}

    def points(self, run_id: str) -> List[Dict[str, Any]]:
        text = self.call("GET", f"/api/v1/runs/{run_id}/export?format=jsonl", raw=True)
        return [json.loads(line) for line in text.splitlines() if line]

    def lines(self, run_id: str) -> List[Dict[str, Any]]:
        out: List[Dict[str, Any]] = []
        cursor: Optional[int] = None
        while True:
            q = f"?limit=5000" + (f"&cursor={cursor}" if cursor is not None else "")
            res = self.call("GET", f"/api/v1/runs/{run_id}/logs{q}")
            out += res["lines"]
            cursor = res["next_cursor"]
            if cursor is None:
                return out

    def runs(self, project: str) -> List[Dict[str, Any]]:
        try:
            return self.call("GET", f"/api/v1/projects/{project}/runs?limit=200")["runs"]
        except urllib.error.HTTPError as e:
            if e.code == 404:
                return []  # the project is made with its first run
            raise


def signup(base_url: str) -> str:
    # A random client address per sign-up, so the per-address limit never couples tests.
    ip = f"10.{random.randint(0, 250)}.{random.randint(0, 250)}.{random.randint(1, 250)}"
    body = {"email": f"py-{uuid.uuid4().hex[:12]}@example.com", "password": "correct horse battery staple",
            "team_name": f"py {uuid.uuid4().hex[:6]}"}
    req = urllib.request.Request(base_url + "/api/v1/signup", data=json.dumps(body).encode(), method="POST",
                                 headers={"content-type": "application/json", "cf-connecting-ip": ip})
    with urllib.request.urlopen(req, timeout=30) as res:
        return json.load(res)["api_key"]["key"]


@pytest.fixture(scope="module")
def api() -> Api:
    if not BASE_URL:
        pytest.fail("SIGHTLINE_BASE_URL is not set: run these through `npm test` (tests/python-sdk.test.ts)")
    return Api(BASE_URL, signup(BASE_URL))


@pytest.fixture()
def env(api: Api, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Dict[str, str]:
    """This test's team and journal folder, in the environment (for children too)."""
    monkeypatch.setenv("SIGHTLINE_API_KEY", api.key)
    monkeypatch.setenv("SIGHTLINE_BASE_URL", api.base_url)
    monkeypatch.setenv("SIGHTLINE_DIR", str(tmp_path / "runs"))
    monkeypatch.delenv("SIGHTLINE_MODE", raising=False)
    return {**os.environ}


@pytest.fixture()
def project() -> str:
    return f"p-{uuid.uuid4().hex[:10]}"


def cli(*args: str, env: Optional[Dict[str, str]] = None) -> subprocess.CompletedProcess:
    """The installed console script when there is one (pip install ./python), else -m."""
    exe = os.path.join(os.path.dirname(sys.executable), "sightline")
    cmd = [exe] if os.path.exists(exe) else [sys.executable, "-m", "sightline"]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, env=env, timeout=60)
