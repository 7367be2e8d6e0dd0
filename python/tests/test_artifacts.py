"""Artifacts through presigned URLs to the verifying S3 store: byte-exact round trips."""
from __future__ import annotations

import filecmp
import os

import pytest

import sightline

OPTS = dict(system_metrics=None, console=False, quiet=True)


def test_folder_round_trip_and_lineage(api, env, project, tmp_path):
    src = tmp_path / "data"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_bytes(b"alpha\n")
    (src / "sub" / "b.bin").write_bytes(os.urandom(300_000))
    (src / "empty").write_bytes(b"")
    with sightline.init(project=project, **OPTS) as run:
        v = run.log_artifact(str(src), name="data", type="dataset", aliases=["best"], metadata={"rows": 3})
        assert v["state"] == "committed" and v["file_count"] == 3 and "best" in v["aliases"]
        again = run.log_artifact(str(src), name="data", type="dataset")
        assert again["uploaded_bytes"] == 0 and again["version"] == v["version"] + 1  # content-addressed
    with sightline.init(project=project, **OPTS) as reader:
        ref = reader.use_artifact("data:best")
        out = ref.download(str(tmp_path / "out"))
    cmp = filecmp.dircmp(str(src), out)
    assert sorted(cmp.common_files) == ["a.txt", "empty"] and not cmp.left_only and not cmp.right_only
    assert filecmp.cmp(src / "sub" / "b.bin", os.path.join(out, "sub", "b.bin"), shallow=False)
    lineage = api.call("GET", f"/api/v1/runs/{reader.id}/artifacts")
    assert "data" in str(lineage)


def test_multipart_file_round_trip_and_tamper_check(api, env, project, tmp_path):
    big = tmp_path / "model.bin"
    big.write_bytes(os.urandom(65 * 1024 * 1024 + 123))  # over the 64 MiB multipart threshold
    with sightline.init(project=project, **OPTS) as run:
        v = run.log_artifact(str(big), name="model", type="model")
        assert v["uploaded_bytes"] == big.stat().st_size
        ref = run.use_artifact("model:latest")
        out = ref.download(str(tmp_path / "dl"))
    assert filecmp.cmp(big, os.path.join(out, "model.bin"), shallow=False)
    # A file already present with the right hash is kept; a corrupt one is fetched again.
    with open(os.path.join(out, "model.bin"), "r+b") as f:
        f.write(b"corrupt!")
    ref.download(out)
    assert filecmp.cmp(big, os.path.join(out, "model.bin"), shallow=False)


def test_download_refuses_bytes_that_do_not_match(api, env, project, tmp_path):
    from sightline.artifacts import _download
    f = tmp_path / "x"
    f.write_bytes(b"real")
    url = f.as_uri()
    with pytest.raises(OSError, match="expected"):
        _download({"path": "x", "size": 4, "sha256": "0" * 64, "url": url}, str(tmp_path / "y"), None)
    assert not (tmp_path / "y").exists() and not (tmp_path / "y.part").exists()
