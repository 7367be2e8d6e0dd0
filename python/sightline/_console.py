"""Console capture: sys.stdout and sys.stderr are wrapped so that everything
the program prints still reaches the terminal and also goes, line by line, to
the run's log. Only output written through Python's sys.stdout/sys.stderr is
seen (not a C extension's or a subprocess's writes to the file descriptors)."""
from __future__ import annotations

import sys
import threading
from typing import Any


class _Tee:
    def __init__(self, inner: Any, run: Any, stream: str):
        self._inner, self._run, self._stream = inner, run, stream
        self._partial = ""
        # Reentrant: a signal handler that prints may interrupt a write in progress.
        self._lock = threading.RLock()
        self.active = True

    def write(self, s: str) -> int:
        n = self._inner.write(s)
        if self.active and s:
            with self._lock:
                text = self._partial + s
                cut = text.rfind("\n")
                if cut >= 0:
                    self._run.log_console(text[:cut + 1], self._stream)
                    text = text[cut + 1:]
                # A carriage return redraws the line (progress bars): keep only the
                # last drawing, unless the \r is the last character (half of \r\n).
                cr = text.rfind("\r", 0, len(text) - 1)
                if cr >= 0:
                    text = text[cr + 1:]
                if len(text) >= 65536:
                    self._run.log_console(text, self._stream)
                    text = ""
                self._partial = text
        return n

    def flush_partial(self) -> None:
        with self._lock:
            if self._partial:
                self._run.log_console(self._partial, self._stream)
                self._partial = ""

    def flush(self) -> None:
        self._inner.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class ConsoleCapture:
    def __init__(self, run: Any):
        self._out = _Tee(sys.stdout, run, "stdout")
        self._err = _Tee(sys.stderr, run, "stderr")
        sys.stdout, sys.stderr = self._out, self._err  # type: ignore[assignment]
        self.active = True

    def stop(self) -> None:
        if not self.active:
            return
        self.active = False
        for tee, name in ((self._out, "stdout"), (self._err, "stderr")):
            tee.flush_partial()
            tee.active = False
            # Put the original back only if nobody wrapped it again after us.
            if getattr(sys, name) is tee:
                setattr(sys, name, tee._inner)
