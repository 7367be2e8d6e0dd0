"""``run.config`` and ``run.summary``: dicts whose changes go to the server."""
from __future__ import annotations

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

    The server computes last/min/max/count of every metric itself; overrides are
    kept in the run's config under ``_summary`` (the native API has no separate
    summary field yet), so they can be filtered and sorted on like config."""

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
        self._run._send_config({"_summary": dict(self._overrides)})

    def __iter__(self):
        return iter({**self._run._last, **self._overrides})

    def __len__(self) -> int:
        return len({**self._run._last, **self._overrides})

    def update(self, other: Any = (), /, **kw: Any) -> None:  # type: ignore[override]
        changes = dict(other, **kw)
        self._overrides.update(changes)
        self._run._send_config({"_summary": dict(self._overrides)})

    def __repr__(self) -> str:
        return f"Summary({dict(self)!r})"
