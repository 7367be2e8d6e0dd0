"""The API key as MLFLOW_TRACKING_PASSWORD (Basic auth), credentials that are
wrong, other teams' runs, and a native run read through MlflowClient."""
import os
import time

import mlflow
import pytest
from conftest import signup, uniq, use_key
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient

AUTH = "basic"


def test_logging_with_the_key_as_basic_password(experiment):
    assert "MLFLOW_TRACKING_TOKEN" not in os.environ and os.environ["MLFLOW_TRACKING_PASSWORD"]
    with mlflow.start_run() as run:
        mlflow.log_metric("loss", 0.25, step=3)
        mlflow.log_param("batch", 32)
    got = MlflowClient().get_run(run.info.run_id)
    assert got.data.metrics == {"loss": 0.25} and got.data.params == {"batch": "32"}


def test_wrong_credentials_are_unauthenticated(team):
    try:
        use_key("sl_not_a_real_key_0123456789abcdef")
        with pytest.raises(MlflowException) as e:
            MlflowClient().search_experiments()
        assert e.value.error_code == "UNAUTHENTICATED"
        use_key("sl_not_a_real_key_0123456789abcdef", basic=True)
        with pytest.raises(MlflowException) as e:
            mlflow.set_experiment(uniq("nope"))
        assert e.value.error_code == "UNAUTHENTICATED"
    finally:
        use_key(team.key, basic=True)


def test_another_teams_run_does_not_exist(team, experiment):
    with mlflow.start_run() as run:
        mlflow.log_param("secret", "mine")
    other = signup()
    try:
        use_key(other)
        c = MlflowClient()
        for call in (lambda: c.get_run(run.info.run_id),
                     lambda: c.get_experiment(experiment),
                     lambda: c.log_param(run.info.run_id, "x", "1"),
                     lambda: c.get_metric_history(run.info.run_id, "loss")):
            with pytest.raises(MlflowException) as e:
                call()
            assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"
        try:  # MLflow's own server answers an empty page; a 404 is as good
            assert c.search_runs([experiment]) == []
        except MlflowException as err:
            assert err.error_code == "RESOURCE_DOES_NOT_EXIST"
    finally:
        use_key(team.key, basic=True)
    assert MlflowClient().get_run(run.info.run_id).data.params == {"secret": "mine"}


def test_a_native_run_reads_through_mlflow(team):
    project = team.call("POST", "/api/v1/projects", {"name": uniq("native")})["project"]["id"]
    run = team.call("POST", f"/api/v1/projects/{project}/runs",
                    {"name": "native-run", "config": {"lr": 0.1, "arch": "mlp", "layers": [64, 64]},
                     "notes": "logged natively", "tags": ["baseline"]})["run"]
    t0 = int(time.time() * 1000)
    team.call("POST", f"/api/v1/runs/{run['id']}/metrics",
              {"seq": 0, "metrics": {"loss": {"steps": [0, 1, 2], "values": [1.0, 0.5, "NaN"], "timestamps": [t0, t0 + 1, t0 + 2]}}})
    team.call("POST", f"/api/v1/runs/{run['id']}/finish", {"status": "finished"})

    got = MlflowClient().get_run(run["id"])
    assert got.info.run_id == run["id"] and got.info.experiment_id == project
    assert got.info.run_name == "native-run" and got.info.status == "FINISHED"
    assert got.data.params == {"lr": "0.1", "arch": "mlp", "layers": "[64,64]"}
    assert got.data.tags["mlflow.runName"] == "native-run"
    assert got.data.tags["mlflow.note.content"] == "logged natively"
    history = MlflowClient().get_metric_history(run["id"], "loss")
    assert [(m.step, m.timestamp) for m in history] == [(0, t0), (1, t0 + 1), (2, t0 + 2)]
    assert history[0].value == 1.0 and history[1].value == 0.5 and history[2].value != history[2].value
    found = MlflowClient().search_runs([project], "params.arch = 'mlp'")
    assert [r.info.run_id for r in found] == [run["id"]]
    assert MlflowClient().get_experiment(project).name.startswith("native-")
