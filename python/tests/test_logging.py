"""End to end through the real stack: what is logged is what is stored."""
from __future__ import annotations

import math

import pytest

import sightline

FAST = dict(system_metrics=None, batch_interval=0.2, quiet=True)


def test_log_config_summary_round_trip(api, env, project):
    run = sightline.init(project=project, name="e2e", config={"lr": 0.01, "opt": {"name": "adam"}}, tags=["t1"],
                         notes="n", console=False, **FAST)
    for step in range(2500):
        run.log({"train/loss": 1.0 / (step + 1), "acc": step / 2500})
    run.log({"weird": float("nan")}, step=10)
    run.log({"weird": float("inf")}, step=11)
    run.log({"weird": float("-inf")}, step=12)
    run.log({"weird": 3.5}, step=13)
    run.config["batch_size"] = 64
    run.config.update({"epochs": 3})
    run.summary["best_acc"] = 0.99
    run.summary.update({"acc": 1.0, "dropped": "soon", "bad key!": 1})
    del run.summary["dropped"]
    assert run.summary["train/loss"] == pytest.approx(1 / 2500)
    assert run.summary["acc"] == 1.0  # an override wins over the metric's last value
    run.finish()
    assert len(run.errors) == 1 and "'bad key!'" in run.errors[0]  # refused here, not by the server

    stored = api.run(run.id)
    assert stored["status"] == "finished" and stored["name"] == "e2e" and stored["tags"] == ["t1"]
    assert stored["config"]["lr"] == 0.01 and stored["config"]["opt"] == {"name": "adam"}
    assert stored["config"]["batch_size"] == 64 and stored["config"]["epochs"] == 3
    assert "_summary" not in stored["config"]
    assert stored["summary_overrides"] == {"best_acc": 0.99, "acc": 1.0}
    assert stored["summary"]["acc"]["last"] == pytest.approx(2499 / 2500)
    assert stored["host"] and stored["system"]["python"]
    assert stored["summary"]["train/loss"]["count"] == 2500
    assert stored["summary"]["train/loss"]["last"] == pytest.approx(1 / 2500)
    assert api.counts(run.id) == {"train/loss": 2500, "acc": 2500, "weird": 4}
    weird = sorted((p["step"], p["value"]) for p in api.points(run.id) if p["key"] == "weird")
    assert weird == [(10, "NaN"), (11, "Infinity"), (12, "-Infinity"), (13, 3.5)]


def test_module_level_and_context_manager(api, env, project):
    sightline.init(project=project, console=False, **FAST)
    run_id = sightline.run.id
    for i in range(5):
        sightline.log({"x": i}, step=i * 10)
    sightline.finish(exit_code=0)
    assert sightline.run is None
    assert api.run(run_id)["status"] == "finished"
    assert sorted(p["step"] for p in api.points(run_id)) == [0, 10, 20, 30, 40]

    with pytest.raises(ZeroDivisionError):
        with sightline.init(project=project, console=False, **FAST) as run:
            run.log({"y": 1})
            1 / 0
    stored = api.run(run.id)
    assert stored["status"] == "failed" and stored["exit_code"] == 1
    assert any("ZeroDivisionError" in line["text"] for line in api.lines(run.id))


def test_a_lone_point_is_sent_after_the_interval_not_at_finish(api, env, project):
    import time
    run = sightline.init(project=project, console=False, system_metrics=None, batch_interval=0.1, quiet=True)
    run.log({"slow": 1.0})
    deadline = time.monotonic() + 10
    while api.counts(run.id) != {"slow": 1} and time.monotonic() < deadline:
        time.sleep(0.1)
    assert api.counts(run.id) == {"slow": 1}
    assert api.run(run.id)["status"] == "running"
    run.finish()


def test_automatic_steps_and_commit_false(api, env, project):
    run = sightline.init(project=project, console=False, **FAST)
    run.log({"a": 1})                   # step 0
    run.log({"a": 2}, commit=False)     # step 1, kept open
    run.log({"b": 3})                   # step 1 too
    run.log({"a": 4}, step=10)
    run.log({"a": 5})                   # step 11
    run.finish()
    got = sorted((p["key"], p["step"]) for p in api.points(run.id))
    assert got == [("a", 0), ("a", 1), ("a", 10), ("a", 11), ("b", 1)]


def test_console_capture(api, env, project, capsys):
    run = sightline.init(project=project, **FAST)
    print("hello from training")
    print("two\nlines")
    import sys
    sys.stderr.write("a warning\n")
    for i in range(101):
        sys.stderr.write(f"\rprogress {i}%")  # a progress bar redrawing one line
    sys.stderr.write("\n")
    sys.stdout.write("crlf\r\n")
    sys.stdout.write("no newline at the end")
    run.finish()
    lines = [(line["stream"], line["text"]) for line in api.lines(run.id)]
    assert ("stdout", "hello from training") in lines
    assert ("stdout", "two") in lines and ("stdout", "lines") in lines
    assert ("stderr", "a warning") in lines
    assert ("stdout", "no newline at the end") in lines and ("stdout", "crlf") in lines
    assert [t for _, t in lines if t.startswith("progress")] == ["progress 100%"]
    assert "hello from training" in capsys.readouterr().out  # still reaches the terminal


def test_bad_values_are_skipped_loudly_and_scalars_are_taken(api, env, project):
    from fractions import Fraction

    class Scalar:  # what numpy and torch scalars offer
        def __float__(self) -> float:
            return 2.5

    run = sightline.init(project=project, console=False, **FAST)
    run.log({"ok": 1, "text": "nope", "bad key!": 2, "nested": {"a": 2}, "np": Scalar(), "frac": Fraction(1, 4),
             "flag": True, "none": None})
    run.finish()
    assert api.counts(run.id) == {"ok": 1, "nested/a": 1, "np": 1, "frac": 1}
    assert {p["key"]: p["value"] for p in api.points(run.id)}["np"] == 2.5
    assert any("'text'" in e for e in run.errors) and any("bad key!" in e for e in run.errors)


def test_logging_from_many_threads(api, env, project):
    import threading
    run = sightline.init(project=project, console=False, **FAST, batch_points=300)

    def work(t: int) -> None:
        for step in range(2000):
            run.log({f"thread/{t}": step, "shared": t}, step=step)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    run.finish()
    counts = api.counts(run.id)
    assert {k: v for k, v in counts.items() if k.startswith("thread/")} == {f"thread/{t}": 2000 for t in range(4)}
    # The same (key, step) from four threads is one point, last write wins.
    assert counts["shared"] == 2000


def test_a_full_disk_still_sends_from_memory(api, env, project):
    run = sightline.init(project=project, console=False, **FAST)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    run._journal.append = full
    for step in range(100):
        run.log({"a": step})
    run.finish()
    assert api.counts(run.id) == {"a": 100}
    assert any("No space left on device" in e for e in run.errors)


def test_system_metrics(api, env, project):
    import time
    run = sightline.init(project=project, console=False, system_metrics=0.3, batch_interval=0.2, quiet=True)
    time.sleep(1.2)
    run.finish()
    keys = api.counts(run.id)
    assert keys.get("system/memory_percent", 0) >= 1
    assert "system/cpu_percent" in keys and "system/disk_percent" in keys


def test_disabled_mode_sends_nothing(env, project, tmp_path):
    run = sightline.init(project=project, mode="disabled")
    run.log({"a": 1})
    run.finish()
    assert run.id is None and not (tmp_path / "runs").exists()


def test_non_finite_encoding_is_the_contract_s():
    from sightline._pipeline import _finite
    assert _finite([1.0, math.nan, math.inf, -math.inf, 2]) == [1.0, "NaN", "Infinity", "-Infinity", 2]
