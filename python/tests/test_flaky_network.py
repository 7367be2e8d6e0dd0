"""Through a proxy that drops, delays and refuses requests: stored points
equal logged points, none lost and none doubled."""
from __future__ import annotations

import time

import pytest

import sightline
from flaky_proxy import FlakyProxy


@pytest.fixture()
def proxy(api):
    p = FlakyProxy(api.base_url, fault_rate=0.45)
    yield p
    p.close()


def test_flaky_network_loses_and_doubles_nothing(api, env, project, proxy):
    run = sightline.init(project=project, base_url=proxy.url, system_metrics=None, batch_points=200,
                         batch_interval=0.05, quiet=True)
    # Fast retries: the proxy's faults are many, and the test is timed.
    run.http.base_delay, run.http.max_delay = 0.02, 0.2
    n = 6000
    for step in range(n):
        run.log({"loss": 1.0 / (step + 1), "lr": 0.1})
        if step % 1000 == 0:
            print(f"step {step}")
    run.finish(timeout=60)
    assert run.errors == []
    assert proxy.counts["drop_after"] > 0 and proxy.counts["drop_before"] > 0 and proxy.counts["503"] > 0
    assert api.counts(run.id) == {"loss": n, "lr": n}
    steps = sorted(p["step"] for p in api.points(run.id) if p["key"] == "loss")
    assert steps == list(range(n))
    lines = [line["text"] for line in api.lines(run.id)]
    assert lines == [f"step {s}" for s in range(0, n, 1000)]
    assert api.run(run.id)["status"] == "finished"


def test_retry_after_is_honoured(api, env, project):
    proxy = FlakyProxy(api.base_url, retry_after="1")
    try:
        run = sightline.init(project=project, base_url=proxy.url, system_metrics=None, console=False, quiet=True,
                             heartbeat=0)
        proxy.script = ["429", "503"]
        run.http.base_delay = 0.01  # so only Retry-After can explain a wait of a second
        run.log({"a": 1})
        run.finish(timeout=30)
    finally:
        proxy.close()
    tries = [(t, fault) for t, path, fault in proxy.log if path.endswith("/metrics")]
    assert [f for _, f in tries] == ["429", "503", "pass"]
    assert tries[1][0] - tries[0][0] >= 0.95 and tries[2][0] - tries[1][0] >= 0.95
    assert api.counts(run.id) == {"a": 1}


def test_parse_retry_after():
    from email.utils import formatdate
    import time
    from sightline._http import parse_retry_after
    assert parse_retry_after("3") == 3.0 and parse_retry_after(None) is None and parse_retry_after("soon") is None
    assert 8 <= parse_retry_after(formatdate(time.time() + 10, usegmt=True)) <= 10  # type: ignore[operator]


def test_outage_with_bounded_memory_loses_nothing(api, env, project, monkeypatch):
    # Batches waiting past the in-memory cap are re-read from the journal when sent.
    import sightline._pipeline as pipeline
    monkeypatch.setattr(pipeline, "MAX_QUEUED_BYTES", 0)
    proxy = FlakyProxy(api.base_url, block=True)
    try:
        run = sightline.init(project=project, base_url=proxy.url, system_metrics=None, console=False, quiet=True,
                             batch_points=100, batch_interval=0.05, heartbeat=0, max_buffered=500)
        run.http.base_delay, run.http.max_delay = 0.02, 0.1
        for step in range(3000):
            run.log({"a": step})
            if step % 100 == 99:
                time.sleep(0.03)  # the writer journals what is sealed; memory holds only what is not
        assert run.stats()["dropped"] == 0
        proxy.block = False
        run.finish(timeout=60)
    finally:
        proxy.close()
    assert run.errors == []
    assert api.counts(run.id) == {"a": 3000}


def test_without_a_journal_a_full_buffer_drops_loudly(api, env, project):
    proxy = FlakyProxy(api.base_url, block=True)
    try:
        run = sightline.init(project=project, base_url=proxy.url, system_metrics=None, console=False, quiet=True,
                             journal=False, batch_points=100, heartbeat=0, max_buffered=1000)
        run.http.base_delay, run.http.max_delay = 0.02, 0.1
        for step in range(5000):
            run.log({"a": step})
        dropped = run.stats()["dropped"]
        assert dropped >= 4000 - 100
        assert any("DROPPED" in e for e in run.errors)
        proxy.block = False
        run.finish(timeout=60)
    finally:
        proxy.close()
    assert run.dir is None
    assert api.counts(run.id) == {"a": 5000 - dropped}


def test_a_create_whose_answer_was_lost_makes_one_run(api, env, project):
    proxy = FlakyProxy(api.base_url)
    proxy.script = ["drop_after"]  # the server stores the run; the client never hears
    try:
        run = sightline.init(project=project, base_url=proxy.url, system_metrics=None, console=False, quiet=True)
        run.log({"a": 1})
        run.finish()
    finally:
        proxy.close()
    assert run.mode == "online" and proxy.counts["drop_after"] == 1
    [stored] = api.runs(project)
    assert stored["id"] == run.id and api.counts(run.id) == {"a": 1}
