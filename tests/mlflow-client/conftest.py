"""Fixtures for the real MLflow client against the stack that
tests/mlflow-client.test.ts started (its URL in SIGHTLINE_BASE_URL).

Each test module signs up its own team through the native API and points
MLflow at Sightline the way a user does: MLFLOW_TRACKING_URI plus the API key
in MLFLOW_TRACKING_TOKEN (or, where the module sets AUTH = "basic", in
MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD)."""
from __future__ import annotations

import json
import os
import random
import urllib.error
import urllib.request
import uuid
from typing import Any, Dict

import mlflow
import pytest

BASE_URL = os.environ.get("SIGHTLINE_BASE_URL", "")
MLFLOW3 = mlflow.__version__.startswith("3.")
CRED_VARS = ("MLFLOW_TRACKING_TOKEN", "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD")


class Native:
    """Sightline's native API (/api/v1) with one team's key."""

    def __init__(self, base_url: str, key: str):
        self.base_url, self.key = base_url, key

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base_url + path, data=data, method=method,
                                     headers={"authorization": f"Bearer {self.key}", "content-type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as res:
                text = res.read().decode()
        except urllib.error.HTTPError as e:
            raise AssertionError(f"{method} {path} -> {e.code}: {e.read().decode()[:500]}") from None
        return json.loads(text) if text else None

    def run(self, run_id: str) -> Dict[str, Any]:
        return self.call("GET", f"/api/v1/runs/{run_id}")["run"]


def signup(base_url: str = BASE_URL) -> str:
    # A random client address per sign-up, so the per-address limit never couples tests.
    ip = f"10.{random.randint(0, 250)}.{random.randint(0, 250)}.{random.randint(1, 250)}"
    body = {"email": f"mlflow-{uuid.uuid4().hex[:12]}@example.com", "password": "correct horse battery staple",
            "team_name": f"mlflow {uuid.uuid4().hex[:6]}"}
    req = urllib.request.Request(base_url + "/api/v1/signup", data=json.dumps(body).encode(), method="POST",
                                 headers={"content-type": "application/json", "cf-connecting-ip": ip})
    with urllib.request.urlopen(req, timeout=30) as res:
        return json.load(res)["api_key"]["key"]


def use_key(key: str, basic: bool = False) -> None:
    """Points MLflow's credentials at `key`, as a Bearer token or as Basic auth."""
    for var in CRED_VARS:
        os.environ.pop(var, None)
    if basic:
        os.environ["MLFLOW_TRACKING_USERNAME"] = "mlflow-user"
        os.environ["MLFLOW_TRACKING_PASSWORD"] = key
    else:
        os.environ["MLFLOW_TRACKING_TOKEN"] = key


@pytest.fixture(scope="module", autouse=True)
def team(request) -> Native:
    if not BASE_URL:
        pytest.fail("SIGHTLINE_BASE_URL is not set: run these through tests/mlflow-client.test.ts")
    key = signup()
    os.environ["MLFLOW_TRACKING_URI"] = BASE_URL
    mlflow.set_tracking_uri(BASE_URL)
    use_key(key, basic=getattr(request.module, "AUTH", "token") == "basic")
    yield Native(BASE_URL, key)
    # No run or experiment of this team may leak into the next module's.
    while mlflow.active_run() is not None:
        mlflow.end_run()
    mlflow.tracking.fluent._active_experiment_id = None
    for var in CRED_VARS + ("MLFLOW_EXPERIMENT_ID",):
        os.environ.pop(var, None)


@pytest.fixture
def experiment() -> str:
    """A fresh experiment, set as the fluent API's active one; returns its id."""
    name = f"exp-{uuid.uuid4().hex[:10]}"
    return mlflow.set_experiment(name).experiment_id


def uniq(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"
