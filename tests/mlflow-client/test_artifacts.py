"""Artifacts through MLflow's proxied artifact service (mlflow-artifacts:/ URIs):
the stock client uploads and downloads with no storage credentials."""
import hashlib
import os

import mlflow
import pytest
from mlflow.tracking import MlflowClient

MiB = 1024 * 1024


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(MiB), b""):
            h.update(block)
    return h.hexdigest()


def write_random(path, size):
    with open(path, "wb") as f:
        left = size
        while left:
            n = min(left, 8 * MiB)
            f.write(os.urandom(n))
            left -= n


def test_small_artifacts_files_and_folders(experiment, tmp_path):
    (tmp_path / "notes.txt").write_text("hello from training\n")
    outputs = tmp_path / "outputs"
    (outputs / "plots").mkdir(parents=True)
    (outputs / "config.yaml").write_text("lr: 0.1\n")
    (outputs / "plots" / "loss.csv").write_text("step,loss\n0,1.0\n1,0.5\n")
    with mlflow.start_run() as run:
        mlflow.log_artifact(str(tmp_path / "notes.txt"))
        mlflow.log_artifact(str(tmp_path / "notes.txt"), artifact_path="copies")
        mlflow.log_artifacts(str(outputs), artifact_path="outputs")
        mlflow.log_dict({"a": 1, "b": [1, 2]}, "meta/info.json")
        mlflow.log_text("plain", "meta/plain.txt")
    run_id = run.info.run_id
    c = MlflowClient()
    top = {(f.path, f.is_dir) for f in c.list_artifacts(run_id)}
    assert top == {("notes.txt", False), ("copies", True), ("outputs", True), ("meta", True)}
    inner = {(f.path, f.is_dir, f.file_size) for f in c.list_artifacts(run_id, "outputs")}
    assert inner == {("outputs/config.yaml", False, 8), ("outputs/plots", True, None)}
    assert [f.path for f in c.list_artifacts(run_id, "outputs/plots")] == ["outputs/plots/loss.csv"]

    dst = tmp_path / "down"
    local = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="outputs", dst_path=str(dst))
    assert open(os.path.join(local, "plots", "loss.csv")).read() == "step,loss\n0,1.0\n1,0.5\n"
    assert open(os.path.join(local, "config.yaml")).read() == "lr: 0.1\n"
    assert mlflow.artifacts.load_dict(f"runs:/{run_id}/meta/info.json") == {"a": 1, "b": [1, 2]}
    assert mlflow.artifacts.load_text(f"{run.info.artifact_uri}/meta/plain.txt") == "plain"
    whole = mlflow.artifacts.download_artifacts(run_id=run_id, dst_path=str(tmp_path / "all"))
    assert open(os.path.join(whole, "copies", "notes.txt")).read() == "hello from training\n"


def test_a_file_over_100_mib_round_trips(experiment, tmp_path):
    big = tmp_path / "weights.bin"
    write_random(big, 100 * MiB + 12345)
    with mlflow.start_run() as run:
        mlflow.log_artifact(str(big), artifact_path="ckpt")
    sizes = {f.path: f.file_size for f in MlflowClient().list_artifacts(run.info.run_id, "ckpt")}
    assert sizes == {"ckpt/weights.bin": 100 * MiB + 12345}
    got = mlflow.artifacts.download_artifacts(run_id=run.info.run_id, artifact_path="ckpt/weights.bin", dst_path=str(tmp_path / "d"))
    assert os.path.getsize(got) == 100 * MiB + 12345
    assert sha256(got) == sha256(big)


def test_multipart_upload_when_the_client_asks_for_it(experiment, tmp_path, monkeypatch):
    # MLflow's opt-in multipart path: create, a presigned URL per part, complete.
    monkeypatch.setenv("MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD", "true")
    monkeypatch.setenv("MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE", str(5 * MiB))
    monkeypatch.setenv("MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE", str(5 * MiB))
    part = tmp_path / "parts.bin"
    write_random(part, 12 * MiB + 7)
    with mlflow.start_run() as run:
        mlflow.log_artifact(str(part))
    got = mlflow.artifacts.download_artifacts(run_id=run.info.run_id, artifact_path="parts.bin", dst_path=str(tmp_path / "d"))
    assert sha256(got) == sha256(part)


def test_missing_artifact_is_an_error(experiment, tmp_path):
    with mlflow.start_run() as run:
        pass
    assert MlflowClient().list_artifacts(run.info.run_id) == []
    with pytest.raises(Exception):
        mlflow.artifacts.download_artifacts(run_id=run.info.run_id, artifact_path="nope.txt", dst_path=str(tmp_path))
