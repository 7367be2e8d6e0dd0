"""MLflow's fluent API as training scripts use it, read back through MlflowClient
and through Sightline's native API."""
import json
import math

import mlflow
import numpy as np
import pytest
from conftest import uniq
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient


def test_a_training_run_logs_params_metrics_and_tags(experiment, team):
    with mlflow.start_run(run_name="resnet-baseline") as run:
        mlflow.log_param("lr", 0.01)
        mlflow.log_params({"optimizer": "adam", "epochs": 3, "layers": "[64, 64]"})
        for step in range(5):
            mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
        mlflow.log_metric("eval_only", 0.5)  # no step: MLflow logs it at step 0
        mlflow.log_metrics({"acc": 0.9, "f1": 0.8}, step=4)
        mlflow.set_tag("team", "vision")
        mlflow.set_tags({"stage": "baseline", "mlflow.note.content": "first try"})
        run_id = run.info.run_id

    got = MlflowClient().get_run(run_id)
    assert got.info.experiment_id == experiment
    assert got.info.run_name == "resnet-baseline"
    assert got.info.status == "FINISHED"
    assert got.info.end_time is not None and got.info.end_time >= got.info.start_time
    assert got.info.lifecycle_stage == "active"
    assert got.info.artifact_uri.startswith("mlflow-artifacts:/")
    assert got.data.params == {"lr": "0.01", "optimizer": "adam", "epochs": "3", "layers": "[64, 64]"}
    assert got.data.metrics == {"loss": 0.2, "eval_only": 0.5, "acc": 0.9, "f1": 0.8}
    tags = got.data.tags
    assert tags["team"] == "vision" and tags["stage"] == "baseline"
    assert tags["mlflow.runName"] == "resnet-baseline"
    assert tags["mlflow.note.content"] == "first try"
    assert tags.get("mlflow.user")  # the client sends the OS user

    history = MlflowClient().get_metric_history(run_id, "loss")
    assert [(m.step, m.value) for m in history] == [(s, 1.0 / (s + 1)) for s in range(5)]
    assert all(m.timestamp > 0 for m in history)
    assert [(m.step, m.value) for m in MlflowClient().get_metric_history(run_id, "eval_only")] == [(0, 0.5)]

    # The same run through the native API: MLflow's names are Sightline's.
    native = team.run(run_id)
    assert native["name"] == "resnet-baseline"
    assert native["project_id"] == experiment
    assert native["status"] == "finished"
    assert native["notes"] == "first try"
    assert native["config"] == {"lr": "0.01", "optimizer": "adam", "epochs": "3", "layers": "[64, 64]"}
    assert native["summary"]["loss"]["last"] == 0.2 and native["summary"]["loss"]["step"] == 4
    assert native["summary"]["loss"]["count"] == 5
    assert native["kv_tags"]["team"] == "vision" and native["kv_tags"]["stage"] == "baseline"


def test_non_finite_metrics_round_trip_exactly(experiment):
    with mlflow.start_run() as run:
        mlflow.log_metric("weird", float("nan"), step=0)
        mlflow.log_metric("weird", float("inf"), step=1)
        mlflow.log_metric("weird", float("-inf"), step=2)
        mlflow.log_metric("huge", 1.7976931348623157e308, step=0)
    history = MlflowClient().get_metric_history(run.info.run_id, "weird")
    values = [m.value for m in sorted(history, key=lambda m: m.step)]
    assert len(values) == 3
    assert math.isnan(values[0])
    # MLflow's own server clamps infinities to ±1.79e308; Sightline keeps them.
    assert values[1] == float("inf") and values[2] == float("-inf")
    latest = MlflowClient().get_run(run.info.run_id).data.metrics
    assert latest["weird"] == float("-inf") and latest["huge"] == 1.7976931348623157e308


def test_end_run_status_and_a_failing_block(experiment):
    mlflow.start_run(run_name="killed-one")
    run_id = mlflow.active_run().info.run_id
    mlflow.end_run(status="KILLED")
    assert MlflowClient().get_run(run_id).info.status == "KILLED"

    try:
        with mlflow.start_run(run_name="crashes") as run:
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert MlflowClient().get_run(run.info.run_id).info.status == "FAILED"


def test_rename_tags_and_git_commit_map_onto_native_fields(experiment, team):
    c = MlflowClient()
    with mlflow.start_run(run_name="before") as run:
        mlflow.set_tag("mlflow.source.git.commit", "0123456789abcdef0123456789abcdef01234567")
        mlflow.set_tag("temporary", "x")
    run_id = run.info.run_id
    c.update_run(run_id, name="after")
    c.delete_tag(run_id, "temporary")
    got = c.get_run(run_id)
    assert got.info.run_name == "after" and got.data.tags["mlflow.runName"] == "after"
    assert "temporary" not in got.data.tags
    native = team.run(run_id)
    assert native["name"] == "after"
    assert native["git"]["commit"] == "0123456789abcdef0123456789abcdef01234567"
    assert "temporary" not in native["kv_tags"]
    with pytest.raises(MlflowException) as e:
        c.delete_tag(run_id, "never-set")
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_nested_runs_link_child_to_parent(experiment, team):
    with mlflow.start_run(run_name="sweep") as parent:
        children = []
        for lr in (0.1, 0.01):
            with mlflow.start_run(run_name=f"lr-{lr}", nested=True) as child:
                mlflow.log_param("lr", lr)
                children.append(child.info.run_id)
    client = MlflowClient()
    for cid in children:
        assert client.get_run(cid).data.tags["mlflow.parentRunId"] == parent.info.run_id
    found = client.search_runs([experiment], filter_string=f"tags.mlflow.parentRunId = '{parent.info.run_id}'")
    assert sorted(r.info.run_id for r in found) == sorted(children)
    assert "mlflow.parentRunId" not in client.get_run(parent.info.run_id).data.tags
    assert [team.run(cid)["parent_id"] for cid in children] == [parent.info.run_id] * 2


def test_log_input_stores_the_dataset(experiment):
    data = np.arange(20, dtype=np.float64).reshape(10, 2)
    dataset = mlflow.data.from_numpy(data, source="s3://bucket/train.npy", name="train-set")
    with mlflow.start_run() as run:
        mlflow.log_input(dataset, context="training")
    inputs = MlflowClient().get_run(run.info.run_id).inputs.dataset_inputs
    assert len(inputs) == 1
    ds = inputs[0].dataset
    assert ds.name == "train-set"
    assert ds.digest == dataset.digest
    assert ds.source_type == "s3"
    assert "s3://bucket/train.npy" in ds.source
    # (schema inference needs scipy, which the venv leaves out: only the profile is filled)
    assert json.loads(ds.profile) == json.loads(dataset._to_mlflow_entity().profile)
    assert {t.key: t.value for t in inputs[0].tags}.get("mlflow.data.context") == "training"


def test_runs_without_an_experiment_go_to_default(monkeypatch):
    # Forget the experiment set_experiment chose (it keeps it in a global and the environment).
    monkeypatch.setattr(mlflow.tracking.fluent, "_active_experiment_id", None)
    monkeypatch.delenv("MLFLOW_EXPERIMENT_ID", raising=False)
    with mlflow.start_run() as run:
        mlflow.log_param("where", "default")
    exp = MlflowClient().get_experiment(run.info.experiment_id)
    assert exp.name == "Default"
    assert MlflowClient().get_experiment("0").name == "Default"


def test_set_experiment_by_name_is_stable(team):
    name = uniq("stable")
    first = mlflow.set_experiment(name).experiment_id
    assert mlflow.set_experiment(name).experiment_id == first
    assert MlflowClient().get_experiment_by_name(name).experiment_id == first
    assert MlflowClient().get_experiment_by_name(uniq("absent")) is None
