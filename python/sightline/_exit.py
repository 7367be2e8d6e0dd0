"""Process exit hooks, installed once for all active runs:

- normal exit (atexit): runs are finished (exit code from ``sys.exit(n)`` if
  that is how the script ended), with the flush timeout of each run;
- an uncaught exception: the traceback goes to the run's console log and the
  run is marked failed; KeyboardInterrupt (SIGINT) marks it killed;
- SIGTERM: turned into ``SystemExit(143)`` in the main thread, so the stack
  unwinds and atexit marks the run killed;
- SIGKILL or a power cut: nothing runs, and the journal on disk is what
  ``sightline sync`` uploads (the server's crash sweep marks the run crashed)."""
from __future__ import annotations

import atexit
import os
import signal
import sys
import threading
import traceback
from typing import Any, List, Optional, Tuple

_active: List[Any] = []
_installed = False
_outcome: Optional[Tuple[str, int]] = None  # (status, exit code) decided by a hook
_exit_code: Optional[int] = None


def register(run: Any) -> None:
    _install()
    _active.append(run)


def unregister(run: Any) -> None:
    if run in _active:
        _active.remove(run)


def log_traceback(run: Any, et: Any, ev: Any, tb: Any) -> None:
    # With console capture on, the interpreter's own print already reaches the log.
    if getattr(run, "_console", None) is None or not run._console.active:
        run.log_console("".join(traceback.format_exception(et, ev, tb)), "stderr")


def _install() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    atexit.register(_at_exit)
    previous_hook = sys.excepthook

    def excepthook(et: Any, ev: Any, tb: Any) -> None:
        global _outcome
        if issubclass(et, KeyboardInterrupt):
            _outcome = ("killed", 130)
        else:
            _outcome = ("failed", 1)
        previous_hook(et, ev, tb)
        for run in list(_active):
            log_traceback(run, et, ev, tb)

    sys.excepthook = excepthook
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_after_fork)
    real_exit = sys.exit

    def exit_recording_code(code: Any = None) -> None:
        global _exit_code
        _exit_code = code if isinstance(code, int) else (0 if code is None else 1)
        real_exit(code)

    sys.exit = exit_recording_code  # as W&B does: atexit cannot see the code otherwise
    if threading.current_thread() is threading.main_thread():
        try:
            if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
                signal.signal(signal.SIGTERM, _on_sigterm)
        except (ValueError, OSError):
            pass  # not allowed here (embedded interpreter): the journal still covers it


def _after_fork() -> None:
    # A forked child (a DataLoader worker, say) has the run's objects but not its
    # threads; it must neither log into them nor finish the parent's run at its exit.
    for run in list(_active):
        run._finished = True
        run._warned_after_finish = True
    _active.clear()


_finishing = 0  # finish() calls under way in this process
_deferred: Optional[int] = None  # a SIGTERM that arrived during one
_exiting = False  # in atexit: the process is ending anyway


class finishing:
    """Around finish(): a SIGTERM then waits for it instead of cutting the drain short."""

    def __enter__(self) -> None:
        global _finishing
        _finishing += 1

    def __exit__(self, *exc: Any) -> None:
        global _finishing, _deferred
        _finishing -= 1
        if (_finishing == 0 and _deferred is not None and not _exiting
                and threading.current_thread() is threading.main_thread()):
            code, _deferred = _deferred, None
            raise SystemExit(code)


def _on_sigterm(signum: int, frame: Any) -> None:
    global _outcome, _deferred
    if _outcome is not None and _outcome[0] == "killed":
        return  # already unwinding
    _outcome = ("killed", 128 + signum)
    # The original stream: the handler may have interrupted a write to the teed one.
    (sys.__stderr__ or sys.stderr).write("sightline: SIGTERM: sending buffered data before exiting\n")
    if _finishing:
        _deferred = 128 + signum
        return
    raise SystemExit(128 + signum)


def _at_exit() -> None:
    global _exiting
    _exiting = True
    status, code = _outcome if _outcome is not None else (None, _exit_code if _exit_code is not None else 0)
    if status is None:
        status = "finished" if code == 0 else "failed"
    for run in list(_active):
        try:
            run.finish(exit_code=code, status=status)
        except Exception as e:  # the last words of a process must not raise
            sys.stderr.write(f"sightline: finish at exit failed: {e!r}\n")
