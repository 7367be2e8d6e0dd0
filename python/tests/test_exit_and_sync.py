"""Exit handling in real child processes, and `sightline sync` exactly once."""
from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pytest

import sightline
from conftest import cli
from flaky_proxy import FlakyProxy
from sightline._journal import read_entries, write_run_file

N = 3000


def child(code: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def logging_child(project: str, env: dict, base_url: str, then: str = "time.sleep(60)") -> subprocess.Popen:
    return child(f"""
        import faulthandler
        faulthandler.dump_traceback_later(45)  # a hung child shows where, in the test's failure message
        import sightline, sys, time
        run = sightline.init(project={project!r}, base_url={base_url!r}, system_metrics=None,
                             batch_points=500, batch_interval=0.1, heartbeat=0)
        for i in range({N}):
            run.log({{"a": i, "b": -i}})
        print("LOGGED", run.id, flush=True)
        {then}
        """, env)


def wait_logged(p: subprocess.Popen) -> str:
    line = p.stdout.readline()  # type: ignore[union-attr]
    assert line.startswith("LOGGED"), line + p.stderr.read()  # type: ignore[union-attr]
    return line.split()[1]


def journaled_points(root: str) -> int:
    return sum(h["n"] for d in glob.glob(os.path.join(root, "run-*")) for h, _ in read_entries(d) if h["t"] == "metrics")


def test_sigkill_mid_run_then_sync_gives_the_exact_count(api, env, project):
    # The proxy refuses every batch, so all of them are only in the journal when the process dies.
    proxy = FlakyProxy(api.base_url, block=True)
    try:
        p = logging_child(project, env, proxy.url)
        run_id = wait_logged(p)
        deadline = time.monotonic() + 20
        while journaled_points(env["SIGHTLINE_DIR"]) < 2 * N and time.monotonic() < deadline:
            time.sleep(0.05)
        p.kill()
        p.wait()
    finally:
        proxy.close()
    assert p.returncode == -signal.SIGKILL
    assert api.counts(run_id) == {}
    status = cli("status", env=env)
    assert "UNSYNCED" in status.stdout and f"{2 * N} points" in status.stdout, status.stdout + status.stderr
    # A line torn by the kill mid-write was never sent: sync skips it.
    [folder] = glob.glob(os.path.join(env["SIGHTLINE_DIR"], "run-*"))
    with open(os.path.join(folder, "journal.log"), "ab") as f:
        f.write(b'{"op":999,"t":"metrics","n":5,"seq":999}\t{"seq":999,"metr')
    res = cli("sync", env=env)
    assert res.returncode == 0, res.stdout + res.stderr
    assert api.counts(run_id) == {"a": N, "b": N}
    assert sorted(p["step"] for p in api.points(run_id) if p["key"] == "a") == list(range(N))
    again = cli("status", env=env)
    assert "0 of 1 runs need" in again.stdout, again.stdout
    # Killed: no finish recorded, so its journal is kept by prune (the run may be revived and synced again).
    assert cli("prune", env=env).stdout == ""
    assert len(glob.glob(os.path.join(env["SIGHTLINE_DIR"], "run-*"))) == 1


def test_sigterm_marks_the_run_killed_after_sending_everything(api, env, project):
    p = logging_child(project, env, api.base_url)
    run_id = wait_logged(p)
    p.send_signal(signal.SIGTERM)
    try:
        _, err = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        pytest.fail("the child did not exit after SIGTERM:\n" + p.communicate()[1])
    assert p.returncode == 143, err
    run = api.run(run_id)
    assert run["status"] == "killed" and run["exit_code"] == 143
    assert api.counts(run_id) == {"a": N, "b": N}


def test_sigint_marks_the_run_killed(api, env, project):
    p = logging_child(project, env, api.base_url)
    run_id = wait_logged(p)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    assert p.returncode == -signal.SIGINT and "KeyboardInterrupt" in err  # Python re-raises SIGINT at exit
    run = api.run(run_id)
    assert run["status"] == "killed" and run["exit_code"] == 130
    assert api.counts(run_id) == {"a": N, "b": N}


def test_sigterm_during_finish_waits_for_the_drain(api, env, project):
    proxy = FlakyProxy(api.base_url, block=True)
    try:
        p = logging_child(project, env, proxy.url, then="run.finish(timeout=60)")
        run_id = wait_logged(p)
        time.sleep(0.5)  # the child is in finish(), its batches refused
        p.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        proxy.block = False
        _, err = p.communicate(timeout=60)
    finally:
        proxy.close()
    assert p.returncode == 143, err
    # "killed" if a slow machine delivered the signal just before finish() began; never left running.
    assert api.run(run_id)["status"] in ("finished", "killed")
    assert api.counts(run_id) == {"a": N, "b": N}


def test_uncaught_exception_marks_the_run_failed_with_the_traceback(api, env, project):
    p = logging_child(project, env, api.base_url, then='raise ValueError("boom at the end")')
    run_id = wait_logged(p)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 1 and "ValueError: boom at the end" in err
    run = api.run(run_id)
    assert run["status"] == "failed" and run["exit_code"] == 1
    texts = [line["text"] for line in api.lines(run_id)]
    assert "ValueError: boom at the end" in texts and any(t.startswith("Traceback") for t in texts)
    assert api.counts(run_id) == {"a": N, "b": N}


def test_sys_exit_code_and_normal_exit(api, env, project):
    p = logging_child(project, env, api.base_url, then="sys.exit(3)")
    run_id = wait_logged(p)
    p.communicate(timeout=60)
    assert p.returncode == 3
    run = api.run(run_id)
    assert run["status"] == "failed" and run["exit_code"] == 3

    p = logging_child(project, env, api.base_url, then="pass")
    run_id = wait_logged(p)
    p.communicate(timeout=60)
    assert p.returncode == 0
    run = api.run(run_id)
    assert run["status"] == "finished" and run["exit_code"] == 0
    assert api.counts(run_id) == {"a": N, "b": N}


def test_offline_run_synced_twice_is_not_doubled(api, env, project):
    run = sightline.init(project=project, mode="offline", system_metrics=None, batch_points=700, quiet=True,
                         config={"seed": 1})
    for i in range(N):
        run.log({"a": i})
    print("an offline line")
    run.config["late"] = True
    run.summary["best_a"] = N - 1
    run.finish()
    assert run.id is None and api.runs(project) == []
    first = cli("sync", env=env)
    assert first.returncode == 0, first.stderr
    [stored] = api.runs(project)
    assert stored["status"] == "finished" and stored["config"] == {"seed": 1, "late": True}
    assert stored["summary_overrides"] == {"best_a": N - 1}
    assert api.counts(stored["id"]) == {"a": N}
    second = cli("sync", env=env)
    assert "0 operations sent" in second.stdout, second.stdout
    # Acks lost (a sync killed before writing them): every batch goes again, and the server's seq check holds.
    os.remove(os.path.join(run.dir, "acks.log"))
    third = cli("sync", run.dir, env=env)
    assert third.returncode == 0, third.stdout + third.stderr
    batches = -(-N // 700) + 1  # metric batches and the one console batch
    assert f"{batches} batches the server already had" in third.stdout, third.stdout
    assert len(api.runs(project)) == 1
    assert api.counts(stored["id"]) == {"a": N}
    assert [line["text"] for line in api.lines(stored["id"])] == ["an offline line"]
    # A sync killed after creating the run but before saving its id finds that run again.
    meta = json.loads(open(os.path.join(run.dir, "run.json")).read())
    meta["run_id"] = None
    write_run_file(run.dir, meta)
    os.remove(os.path.join(run.dir, "acks.log"))
    fourth = cli("sync", run.dir, env=env)
    assert fourth.returncode == 0 and "created run" not in fourth.stdout, fourth.stdout + fourth.stderr
    assert len(api.runs(project)) == 1 and api.counts(stored["id"]) == {"a": N}
    assert "removed" in cli("prune", env=env).stdout and not os.path.exists(run.dir)


def test_unreachable_server_at_init_falls_back_to_the_journal(api, env, project):
    dead = "http://127.0.0.1:9"  # discard port: connection refused
    run = sightline.init(project=project, base_url=dead, system_metrics=None, console=False, quiet=True,
                         init_attempts=1)
    assert run.mode == "offline"
    for i in range(100):
        run.log({"a": i})
    run.finish()
    res = cli("sync", "--base-url", api.base_url, env=env)
    assert res.returncode == 0, res.stderr
    [stored] = api.runs(project)
    assert api.counts(stored["id"]) == {"a": 100}


def test_heartbeats_keep_an_idle_run_alive(api, env, project):
    run = sightline.init(project=project, system_metrics=None, console=False, quiet=True, heartbeat=0.3)
    first = api.run(run.id)["heartbeat_at"]
    time.sleep(1.0)
    later = api.run(run.id)["heartbeat_at"]
    run.finish()
    assert later > first


def test_a_forked_child_leaves_the_parent_run_alone(api, env, project):
    then = "\n        ".join([
        "import os",
        "faulthandler.cancel_dump_traceback_later()  # its watchdog thread does not survive a fork",
        "pid = os.fork()",
        "if pid == 0:",
        "    run.log({'a': -1})",
        "    sys.exit(0)",
        "os.waitpid(pid, 0)",
        "print('PARENT', run._finished, flush=True)",
    ])
    p = logging_child(project, env, api.base_url, then=then)
    run_id = wait_logged(p)
    out, err = p.communicate(timeout=60)
    assert "PARENT False" in out, out + err
    run = api.run(run_id)
    assert run["status"] == "finished" and run["exit_code"] == 0
    assert api.counts(run_id) == {"a": N, "b": N}
