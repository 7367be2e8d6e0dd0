"""A W&B-style surface over Sightline, for migrating scripts with one line:

    import sightline.compat.wandb as wandb

``init``, ``config``, ``log``, ``summary``, ``finish``, ``run``, ``Artifact``,
``log_artifact``, ``use_artifact``, ``define_metric``, ``login`` and ``watch``
are accepted. Arguments Sightline has no use for (``entity``, ``group``,
``job_type``, ``reinit``, ``settings``…) are accepted and ignored; values
that are not numbers (images, tables) are skipped with one warning per key."""
from __future__ import annotations

import os
from typing import Any, Dict, List, Mapping, Optional, Tuple

import sightline
from sightline._run import Run
from sightline.artifacts import collect

run: Optional[Run] = None
"""The current run (a wrapper with W&B's artifact calls), as ``wandb.run``."""


class _Proxy:
    """``wandb.config`` / ``wandb.summary``: the current run's, or a plain dict before init."""

    def __init__(self, attr: str):
        object.__setattr__(self, "_attr", attr)
        object.__setattr__(self, "_early", {})

    def _target(self) -> Any:
        return getattr(run, self._attr) if run is not None else self._early

    def __getitem__(self, k: str) -> Any:
        return self._target()[k]

    def __setitem__(self, k: str, v: Any) -> None:
        self._target()[k] = v

    def __getattr__(self, k: str) -> Any:
        try:
            return self._target()[k]
        except KeyError:
            raise AttributeError(k) from None

    def __setattr__(self, k: str, v: Any) -> None:
        self._target()[k] = v

    def __contains__(self, k: str) -> bool:
        return k in self._target()

    def __iter__(self):
        return iter(self._target())

    def keys(self):
        return self._target().keys()

    def items(self):
        return self._target().items()

    def get(self, k: str, default: Any = None) -> Any:
        return self._target().get(k, default)

    def update(self, d: Any = (), allow_val_change: bool = True, **kw: Any) -> None:
        self._target().update(dict(d, **kw))

    def setdefaults(self, d: Mapping[str, Any]) -> None:
        self.update({k: v for k, v in d.items() if k not in self._target()})

    def as_dict(self) -> Dict[str, Any]:
        return dict(self._target())

    def __repr__(self) -> str:
        return repr(dict(self._target()))


config = _Proxy("config")
summary = _Proxy("summary")


def init(project: Optional[str] = None, entity: Optional[str] = None, name: Optional[str] = None,
         config: Any = None, tags: Optional[List[str]] = None, notes: Optional[str] = None,
         mode: Optional[str] = None, dir: Optional[str] = None, **ignored: Any) -> Run:
    global run
    if run is not None:
        run.finish()
    _step_metrics.clear()
    cfg = dict(globals()["config"]._early)
    if config is not None:
        cfg.update(config if isinstance(config, Mapping) else vars(config))
    mode = {"dryrun": "offline", "disabled": "disabled", "offline": "offline", "online": "online"}.get(
        mode or os.environ.get("WANDB_MODE", ""), None)
    run = _ShimRun(sightline.init(project=project or os.environ.get("WANDB_PROJECT"), name=name, config=cfg,  # type: ignore[assignment]
                                  tags=tags, notes=notes, mode=mode, dir=dir))
    globals()["summary"]._early.clear()
    return run  # type: ignore[return-value]


class _ShimRun:
    """What ``wandb.init`` returns: the Sightline run, with W&B's artifact calls."""

    def __init__(self, run: Run):
        object.__setattr__(self, "_run", run)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._run, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._run, name, value)

    def __enter__(self) -> "_ShimRun":
        return self

    def __exit__(self, *exc: Any) -> None:
        self._run.__exit__(*exc)
        _clear(self)

    def log_artifact(self, artifact: Any, name: Optional[str] = None, type: Optional[str] = None,
                     aliases: Optional[List[str]] = None) -> Any:
        return _log_artifact(self._run, artifact, name, type, aliases)

    def finish(self, exit_code: Optional[int] = None, quiet: Optional[bool] = None) -> None:
        self._run.finish(exit_code=exit_code)
        _clear(self)


def _clear(shim: Any) -> None:
    global run
    if run is shim:
        run = None


class _Unsupported:
    """Media types (images, tables, ...) are accepted and skipped when logged, with one warning per key."""

    def __init__(self, *args: Any, **kwargs: Any):
        pass


Image = Table = Histogram = Video = Audio = Html = Object3D = Molecule = _Unsupported


class Settings(dict):
    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)


def save(*_: Any, **__: Any) -> None:
    return None


def alert(*_: Any, **__: Any) -> None:
    return None


def log(data: Mapping[str, Any], step: Optional[int] = None, commit: Optional[bool] = None, **_: Any) -> None:
    if run is None:
        raise sightline.SightlineError("wandb.log() before wandb.init()", code="no_run")
    if _step_metrics and step is None:
        data = _log_by_step_metric(data)
    run.log(data, step=step, commit=commit is not False)


# define_metric(name, step_metric=...): name (or "prefix/*") -> the key whose value is its x axis.
_step_metrics: Dict[str, str] = {}


def _step_metric_for(key: str) -> Optional[str]:
    for pattern, sm in _step_metrics.items():
        if key == pattern or (pattern.endswith("*") and key.startswith(pattern[:-1])):
            return sm
    return None


def _log_by_step_metric(data: Mapping[str, Any]) -> Dict[str, Any]:
    """Sightline's x axis is the step: a metric defined against a step metric
    (an integer such as epoch) is logged at that value as its step. The rest
    is returned for the ordinary log call."""
    rest: Dict[str, Any] = {}
    by_step: Dict[int, Dict[str, Any]] = {}
    last = run._last if run is not None else {}  # type: ignore[attr-defined]
    for key, value in data.items():
        sm = _step_metric_for(key)
        x = data.get(sm, last.get(sm)) if sm else None
        if sm and isinstance(x, (int, float)) and float(x).is_integer() and x >= 0:
            by_step.setdefault(int(x), {})[key] = value
        else:
            rest[key] = value
    for x, values in by_step.items():
        run._run._add_at(values, x)  # type: ignore[union-attr]
    return rest


def finish(exit_code: Optional[int] = None, quiet: Optional[bool] = None) -> None:
    global run
    if run is not None:
        run.finish(exit_code=exit_code)
        run = None


def define_metric(name: str, step_metric: Optional[str] = None, summary: Optional[str] = None, **_: Any) -> Dict[str, Any]:
    # The server keeps last, min and max of every metric already, so summary="min"/"max" needs nothing.
    if step_metric:
        _step_metrics[name] = step_metric
    return {"name": name, "step_metric": step_metric, "summary": summary}


def login(*_: Any, **__: Any) -> bool:
    return True  # credentials come from SIGHTLINE_API_KEY


def watch(*_: Any, **__: Any) -> None:
    return None


class Artifact:
    def __init__(self, name: str, type: str, description: Optional[str] = None, metadata: Optional[Dict[str, Any]] = None):
        self.name, self.type, self.description, self.metadata = name, type, description, metadata
        self._files: List[Tuple[str, str]] = []
        self.version: Optional[Dict[str, Any]] = None

    def add_file(self, local_path: str, name: Optional[str] = None) -> None:
        self._files.append((os.path.abspath(local_path), name or os.path.basename(local_path)))

    def add_dir(self, local_path: str, name: Optional[str] = None) -> None:
        self._files.extend(collect(local_path, (name.rstrip("/") + "/") if name else ""))


def log_artifact(artifact: Any, name: Optional[str] = None, type: Optional[str] = None,
                 aliases: Optional[List[str]] = None) -> Any:
    if run is None:
        raise sightline.SightlineError("wandb.log_artifact() before wandb.init()", code="no_run")
    return _log_artifact(run._run, artifact, name, type, aliases)  # type: ignore[attr-defined]


def _log_artifact(run: Run, artifact: Any, name: Optional[str], type: Optional[str], aliases: Optional[List[str]]) -> Any:
    if isinstance(artifact, Artifact):
        artifact.version = run.log_artifact(artifact._files, name=artifact.name, type=artifact.type, aliases=aliases,  # type: ignore[arg-type]
                                            metadata=artifact.metadata, description=artifact.description)
        return artifact
    path = str(artifact)
    return run.log_artifact(path, name=name or os.path.basename(path), type=type or "unspecified", aliases=aliases)


def use_artifact(ref: str, type: Optional[str] = None) -> Any:
    if run is None:
        raise sightline.SightlineError("wandb.use_artifact() before wandb.init()", code="no_run")
    return run.use_artifact(ref)
