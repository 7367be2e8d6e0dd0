"""A W&B-style script, unchanged but for its import line, logs the same data."""
from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = """
import wandb
import math, os

run = wandb.init(project=PROJECT, name="shimmed", config={"lr": 0.001, "epochs": 3}, entity="ignored", job_type="train")
wandb.config.batch_size = 16
wandb.config.update({"optimizer": "sgd"})
wandb.define_metric("val/acc", summary="max")
wandb.define_metric("eval/*", step_metric="epoch")
for epoch in range(wandb.config.epochs):
    for i in range(100):
        step = epoch * 100 + i
        wandb.log({"train/loss": 1.0 / (step + 1), "epoch": epoch}, step=step)
    run.log({"val/acc": 0.5 + epoch / 10})
    wandb.log({"eval/loss": 1.0 - epoch / 10, "epoch": epoch})
wandb.log({"examples": wandb.Image(None, caption="not stored")}, commit=False)
print("run name", wandb.run.name)
wandb.summary["best_val"] = 0.7
with open("weights.pt", "wb") as f:
    f.write(b"w" * 1000)
artifact = wandb.Artifact("weights", type="model", metadata={"epochs": 3})
artifact.add_file("weights.pt")
run.log_artifact(artifact, aliases=["best"])
run.finish()
assert wandb.run is None
"""


def test_unchanged_wandb_script_runs_on_the_shim(api, env, project, tmp_path):
    script = SCRIPT.replace("import wandb", "import sightline.compat.wandb as wandb", 1).replace("PROJECT", repr(project))
    res = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "metric 'examples' is not a number" in res.stderr  # media is skipped, loudly
    [run] = api.runs(project)
    assert run["name"] == "shimmed" and run["status"] == "finished"
    assert run["config"]["lr"] == 0.001 and run["config"]["batch_size"] == 16 and run["config"]["optimizer"] == "sgd"
    assert run["summary_overrides"] == {"best_val": 0.7} and "_summary" not in run["config"]
    counts = api.counts(run["id"])
    assert {k: counts[k] for k in ("train/loss", "val/acc", "eval/loss")} == {"train/loss": 300, "val/acc": 3, "eval/loss": 3}
    points = api.points(run["id"])
    # Without a step, W&B puts a log at the next step (one past the highest so far).
    assert sorted(p["step"] for p in points if p["key"] == "val/acc")[0] == 100
    # A metric defined against a step metric is logged at that metric's value.
    assert sorted(p["step"] for p in points if p["key"] == "eval/loss") == [0, 1, 2]
    assert run["summary"]["val/acc"]["max"] == 0.7
    assert any(line["text"] == "run name shimmed" for line in api.lines(run["id"]))
    version = api.call("GET", f"/api/v1/projects/{project}/artifacts/weights/versions/best")
    assert version["files"][0]["path"] == "weights.pt" and version["files"][0]["size"] == 1000
