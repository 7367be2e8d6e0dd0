"""``run.config`` and ``run.summary``: dicts whose changes go to the server."""
from __future__ import annotations

import math
import operator
from typing import TYPE_CHECKING, Any, Dict, Mapping, MutableMapping, Optional

if TYPE_CHECKING:
    from ._run import Run


class Config(MutableMapping):
    """The run's config: a dict whose changes are sent to the server (merged into the run's config)."""

    def __init__(self, run: "Run", initial: Optional[Mapping[str, Any]] = None):
        self._run = run
        self._data: Dict[str, Any] = dict(initial or {})

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.update({key: value})

    def __delitem__(self, key: str) -> None:
        raise TypeError("config keys cannot be removed from a run; set a new value instead")

    def __iter__(self):
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __getattr__(self, key: str) -> Any:
        try:
            return self.__dict__["_data"][key]
        except KeyError:
            raise AttributeError(key) from None

    def __setattr__(self, key: str, value: Any) -> None:
        if key.startswith("_"):
            object.__setattr__(self, key, value)
        else:
            self.update({key: value})

    def update(self, other: Any = (), /, **kw: Any) -> None:  # type: ignore[override]
        changes = dict(other, **kw)
        if not changes:
            return
        self._data.update(changes)
        self._run._send_config(changes)

    def as_dict(self) -> Dict[str, Any]:
        return dict(self._data)

    def __repr__(self) -> str:
        return f"Config({self._data!r})"


class Summary(MutableMapping):
    """Last logged value of each metric, plus overrides you set (``run.summary["best"] = 0.9``).

    The server computes last/min/max/count of every metric itself; overrides go
    to the run's ``summary_overrides`` (``PATCH /runs/{id}`` with ``summary``),
    and an override wins over a metric of the same key when read. Setting a key
    to ``None`` or deleting it removes the override."""

    def __init__(self, run: "Run"):
        self._run = run
        self._overrides: Dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        if key in self._overrides:
            return self._overrides[key]
        return self._run._last[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.update({key: value})

    def __delitem__(self, key: str) -> None:
        del self._overrides[key]
        self._run._send_summary({key: None})

    def __iter__(self):
        return iter({**self._run._last, **self._overrides})

    def __len__(self) -> int:
        return len({**self._run._last, **self._overrides})

    def update(self, other: Any = (), /, **kw: Any) -> None:  # type: ignore[override]
        changes = {k: _summary_value(v) for k, v in dict(other, **kw).items()}
        changes = self._run._send_summary(changes)
        for k, v in changes.items():
            if v is None:
                self._overrides.pop(k, None)
            else:
                self._overrides[k] = v

    def __repr__(self) -> str:
        return f"Summary({dict(self)!r})"


def _summary_value(v: Any) -> Any:
    """numpy/torch scalars become numbers; NaN and ±Infinity become the strings
    metric values use, since JSON has no form for them."""
    if v is None or isinstance(v, (str, int, dict, list)):
        return v
    if not isinstance(v, float):
        try:
            return operator.index(v)  # numpy and torch integers
        except Exception:
            pass
        try:
            v = float(v)
        except Exception:
            return v  # not a number: the JSON check reports it
    if not math.isfinite(v):
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    return float(v)
