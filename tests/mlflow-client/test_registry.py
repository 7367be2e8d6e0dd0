"""The model registry through MlflowClient, and mlflow.pyfunc.log_model (MLflow
3's logged models, or a run's model folder under 2.x) loaded back."""
import warnings

import mlflow
import mlflow.pyfunc
import pytest
from conftest import MLFLOW3, uniq
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient


@pytest.fixture
def model(experiment):
    """A registered model with two versions from one run: (name, run_id, source)."""
    c = MlflowClient()
    with mlflow.start_run() as run:
        mlflow.log_text("weights", "model/weights.txt")
    source = f"{run.info.artifact_uri}/model"
    name = uniq("classifier")
    rm = c.create_registered_model(name, tags={"task": "vision"}, description="first model")
    assert rm.name == name
    v1 = c.create_model_version(name, source, run_id=run.info.run_id, tags={"kind": "baseline"})
    v2 = c.create_model_version(name, source, run_id=run.info.run_id)
    assert (str(v1.version), str(v2.version)) == ("1", "2")
    assert v1.status == "READY" and v1.run_id == run.info.run_id and v1.source == source
    return name, run.info.run_id, source


def test_versions_tags_and_aliases(model):
    name, _, source = model
    c = MlflowClient()
    got = c.get_model_version(name, "1")
    assert got.tags == {"kind": "baseline"}
    c.update_model_version(name, "1", description="the baseline")
    assert c.get_model_version(name, "1").description == "the baseline"
    c.set_model_version_tag(name, "2", "kind", "tuned")
    assert c.get_model_version(name, "2").tags["kind"] == "tuned"
    assert c.get_registered_model(name).tags == {"task": "vision"}
    assert c.get_model_version_download_uri(name, "1") == source

    c.set_registered_model_alias(name, "champion", "1")
    assert str(c.get_model_version_by_alias(name, "champion").version) == "1"
    c.set_registered_model_alias(name, "champion", "2")  # an alias moves
    assert str(c.get_model_version_by_alias(name, "champion").version) == "2"
    assert c.get_registered_model(name).aliases == {"champion": "2"}
    c.delete_registered_model_alias(name, "champion")
    with pytest.raises(MlflowException) as e:
        c.get_model_version_by_alias(name, "champion")
    assert e.value.error_code == "INVALID_PARAMETER_VALUE"  # what MLflow's own server answers


def test_stages_for_older_code(model):
    name, _, _ = model
    c = MlflowClient()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # stages are deprecated in MLflow 3 but older code uses them
        c.transition_model_version_stage(name, "1", "Staging")
        c.transition_model_version_stage(name, "2", "Production")
        assert c.get_model_version(name, "1").current_stage == "Staging"
        latest = {mv.current_stage: str(mv.version) for mv in c.get_latest_versions(name)}
        assert latest == {"Staging": "1", "Production": "2"}
        assert [str(mv.version) for mv in c.get_latest_versions(name, stages=["Production"])] == ["2"]


def test_search_models_and_versions(model):
    # The stock client adds "tag.`mlflow.prompt.is_prompt` != 'true'" to every
    # registered-model search: models without that tag must still match.
    name, run_id, _ = model
    c = MlflowClient()
    assert [m.name for m in c.search_registered_models(filter_string=f"name = '{name}'")] == [name]
    assert name in [m.name for m in c.search_registered_models(filter_string=f"name LIKE '{name[:-4]}%'")]
    assert name in [m.name for m in c.search_registered_models(filter_string="tags.task = 'vision'")]
    assert name in [m.name for m in c.search_registered_models()]
    versions = c.search_model_versions(f"name = '{name}'")
    assert sorted(str(v.version) for v in versions) == ["1", "2"]
    assert sorted(str(v.version) for v in c.search_model_versions(f"name = '{name}' and run_id = '{run_id}'")) == ["1", "2"]


def test_rename_and_delete(model):
    name, _, _ = model
    c = MlflowClient()
    c.rename_registered_model(name, f"{name}-v2")
    assert c.get_registered_model(f"{name}-v2").description == "first model"
    with pytest.raises(MlflowException) as e:
        c.get_registered_model(name)
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    with pytest.raises(MlflowException) as e:
        c.create_registered_model(f"{name}-v2")
    assert e.value.error_code == "RESOURCE_ALREADY_EXISTS"
    c.delete_model_version(f"{name}-v2", "1")
    assert [str(v.version) for v in c.search_model_versions(f"name = '{name}-v2'")] == ["2"]
    c.delete_registered_model(f"{name}-v2")
    with pytest.raises(MlflowException) as e:
        c.get_registered_model(f"{name}-v2")
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"


class AddN(mlflow.pyfunc.PythonModel):
    def __init__(self, n):
        self.n = n

    def predict(self, context, model_input, params=None):
        return [x + self.n for x in model_input["x"]]


def test_pyfunc_log_model_registers_and_loads_back(experiment):
    import pandas as pd

    name = uniq("adder")
    kwargs = {"name": "model"} if MLFLOW3 else {"artifact_path": "model"}
    with mlflow.start_run() as run:
        info = mlflow.pyfunc.log_model(python_model=AddN(5), pip_requirements=["pandas"],
                                       registered_model_name=name, **kwargs)
    if MLFLOW3:
        assert info.model_id and info.model_uri == f"models:/{info.model_id}"
        logged = MlflowClient().get_logged_model(info.model_id)
        assert logged.source_run_id == run.info.run_id and logged.status == "READY"
    model = mlflow.pyfunc.load_model(info.model_uri)
    assert list(model.predict(pd.DataFrame({"x": [1, 2]}))) == [6, 7]
    registered = mlflow.pyfunc.load_model(f"models:/{name}/1")
    assert list(registered.predict(pd.DataFrame({"x": [10]}))) == [15]
