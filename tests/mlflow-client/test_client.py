"""MlflowClient: search with MLflow's filter grammar, ordering and paging,
metric history, delete/restore, experiments, and the errors it surfaces."""
import time

import mlflow
import pytest
from conftest import uniq
from mlflow.entities import Metric, Param, RunTag, ViewType
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient

N_RUNS = 25


@pytest.fixture(scope="module")
def sweep():
    """25 finished runs in one experiment: loss = i / 25, params lr and opt, tag parity."""
    client = MlflowClient()
    exp = client.create_experiment(uniq("sweep"), tags={"owner": "search-tests"})
    now = int(time.time() * 1000)
    runs = {}
    for i in range(N_RUNS):
        run = client.create_run(exp, run_name=f"trial-{i:02d}", tags={"parity": "even" if i % 2 == 0 else "odd"})
        client.log_batch(run.info.run_id,
                         metrics=[Metric("loss", i / N_RUNS, now, 0), Metric("acc", 1 - i / N_RUNS, now, 0)],
                         params=[Param("lr", str(10 ** -(i % 3 + 1))), Param("opt", "adam" if i < 10 else "sgd")],
                         tags=[RunTag("index", str(i))])
        client.set_terminated(run.info.run_id, "FINISHED" if i != 7 else "FAILED")
        runs[i] = run.info.run_id
    return exp, runs


def ids(runs):
    return [r.info.run_id for r in runs]


def test_filters_on_metrics_params_tags_and_attributes(sweep):
    exp, runs = sweep
    c = MlflowClient()
    assert set(ids(c.search_runs([exp], "metrics.loss < 0.2"))) == {runs[i] for i in range(5)}
    assert set(ids(c.search_runs([exp], "metrics.loss >= 0.9"))) == {runs[i] for i in range(23, 25)}
    assert set(ids(c.search_runs([exp], "params.opt = 'adam' and metrics.acc > 0.7"))) == {runs[i] for i in range(8)}
    assert set(ids(c.search_runs([exp], "params.lr != '0.1'"))) == {runs[i] for i in range(N_RUNS) if i % 3 != 0}
    assert set(ids(c.search_runs([exp], "tags.parity = 'odd' AND tags.index LIKE '1%'"))) == {runs[i] for i in (1, 11, 13, 15, 17, 19)}
    assert set(ids(c.search_runs([exp], "tags.parity ILIKE 'EV%' AND metrics.loss <= 0.08"))) == {runs[0], runs[2]}
    assert ids(c.search_runs([exp], "attributes.status = 'FAILED'")) == [runs[7]]
    assert ids(c.search_runs([exp], "attributes.run_name = 'trial-03'")) == [runs[3]]
    assert set(ids(c.search_runs([exp], f"attributes.run_id IN ('{runs[1]}', '{runs[2]}')"))) == {runs[1], runs[2]}
    assert set(ids(c.search_runs([exp], "params.opt NOT IN ('sgd') AND metrics.loss > 0.3"))) == {runs[8], runs[9]}
    assert len(c.search_runs([exp], "attributes.start_time > 0", max_results=100)) == N_RUNS


def test_order_by_and_page_across_pages(sweep):
    exp, runs = sweep
    c = MlflowClient()
    seen, token, pages = [], None, 0
    while True:
        page = c.search_runs([exp], order_by=["metrics.loss DESC"], max_results=10, page_token=token)
        seen += ids(page)
        pages += 1
        token = page.token
        if not token:
            break
    assert pages == 3
    assert seen == [runs[i] for i in reversed(range(N_RUNS))]
    by_name = c.search_runs([exp], order_by=["attributes.run_name ASC"], max_results=5)
    assert [r.info.run_name for r in by_name] == [f"trial-{i:02d}" for i in range(5)]
    by_param = c.search_runs([exp], "params.opt = 'sgd'", order_by=["params.lr ASC", "metrics.loss DESC"], max_results=3)
    assert [r.data.params["lr"] for r in by_param] == ["0.001", "0.001", "0.001"]
    assert ids(by_param) == [runs[23], runs[20], runs[17]]


def test_fluent_search_runs_gives_a_dataframe(sweep):
    exp, runs = sweep
    df = mlflow.search_runs(experiment_ids=[exp], filter_string="metrics.loss < 0.1", order_by=["metrics.loss ASC"])
    assert list(df["run_id"]) == [runs[0], runs[1], runs[2]]
    assert list(df["params.opt"]) == ["adam"] * 3
    assert list(df["metrics.loss"]) == [0.0, 0.04, 0.08]


def test_metric_history_is_complete_and_paged(experiment):
    c = MlflowClient()
    run_id = c.create_run(experiment).info.run_id
    now = int(time.time() * 1000)
    for start in range(0, 2500, 1000):
        c.log_batch(run_id, metrics=[Metric("loss", s * 0.5, now + s, s) for s in range(start, min(start + 1000, 2500))])
    history = c.get_metric_history(run_id, "loss")
    assert [(m.step, m.value, m.timestamp) for m in history] == [(s, s * 0.5, now + s) for s in range(2500)]
    # The REST store pages when asked to (the client asks for 25,000 at a time).
    store = c._tracking_client.store
    first = store.get_metric_history(run_id, "loss", max_results=1000)
    assert len(first) == 1000 and first.token
    rest, token = [], first.token
    while token:
        page = store.get_metric_history(run_id, "loss", max_results=1000, page_token=token)
        rest += list(page)
        token = page.token
    assert [m.step for m in list(first) + rest] == list(range(2500))


def test_delete_and_restore_a_run(experiment):
    c = MlflowClient()
    run_id = c.create_run(experiment, run_name="to-delete").info.run_id
    c.delete_run(run_id)
    assert c.get_run(run_id).info.lifecycle_stage == "deleted"
    assert run_id not in ids(c.search_runs([experiment]))
    assert run_id in ids(c.search_runs([experiment], run_view_type=ViewType.DELETED_ONLY))
    assert run_id in ids(c.search_runs([experiment], run_view_type=ViewType.ALL))
    c.restore_run(run_id)
    assert c.get_run(run_id).info.lifecycle_stage == "active"
    assert run_id in ids(c.search_runs([experiment]))


def test_search_and_manage_experiments():
    c = MlflowClient()
    prefix = uniq("proj")
    made = [c.create_experiment(f"{prefix}-{i}", tags={"owner": "ana" if i < 2 else "bo"}) for i in range(3)]
    found = c.search_experiments(filter_string=f"name LIKE '{prefix}%'", order_by=["name DESC"])
    assert [e.name for e in found] == [f"{prefix}-2", f"{prefix}-1", f"{prefix}-0"]
    assert [e.experiment_id for e in found] == made[::-1]
    ana = c.search_experiments(filter_string=f"name LIKE '{prefix}%' AND tags.owner = 'ana'")
    assert {e.experiment_id for e in ana} == set(made[:2])
    page = c.search_experiments(filter_string=f"name LIKE '{prefix}%'", max_results=2, order_by=["name ASC"])
    assert len(page) == 2 and page.token
    rest = c.search_experiments(filter_string=f"name LIKE '{prefix}%'", max_results=2, order_by=["name ASC"], page_token=page.token)
    assert [e.name for e in rest] == [f"{prefix}-2"]

    c.rename_experiment(made[0], f"{prefix}-renamed")
    assert c.get_experiment(made[0]).name == f"{prefix}-renamed"
    c.set_experiment_tag(made[0], "stage", "prod")
    assert c.get_experiment(made[0]).tags["stage"] == "prod"
    c.delete_experiment(made[1])
    assert c.get_experiment(made[1]).lifecycle_stage == "deleted"
    assert made[1] not in [e.experiment_id for e in c.search_experiments(filter_string=f"name LIKE '{prefix}%'")]
    c.restore_experiment(made[1])
    assert c.get_experiment(made[1]).lifecycle_stage == "active"
    with pytest.raises(MlflowException) as e:
        c.create_experiment(f"{prefix}-2")
    assert e.value.error_code == "RESOURCE_ALREADY_EXISTS"


def test_errors_the_client_surfaces(experiment):
    c = MlflowClient()
    with pytest.raises(MlflowException) as e:
        c.get_run("run_doesnotexist0000")
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    with pytest.raises(MlflowException) as e:
        c.get_experiment("prj_doesnotexist000")
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"

    with mlflow.start_run():
        mlflow.log_param("lr", "0.1")
        mlflow.log_param("lr", "0.1")  # the same value again is fine
        with pytest.raises(MlflowException) as e:
            mlflow.log_param("lr", "0.2")
        assert e.value.error_code == "INVALID_PARAMETER_VALUE"
        assert "lr" in e.value.message
        mlflow.set_tag("t", "a")
        mlflow.set_tag("t", "b")  # tags: last write wins
        run_id = mlflow.active_run().info.run_id
    assert c.get_run(run_id).data.tags["t"] == "b"
    assert c.get_run(run_id).data.params["lr"] == "0.1"

    with pytest.raises(MlflowException) as e:
        c.search_runs([experiment], "metrics.loss <<< 3")
    assert e.value.error_code == "INVALID_PARAMETER_VALUE"
