"""HTTP for the SDK: urllib only, JSON in and out, gzip on ingest routes, and
retries with exponential backoff + full jitter on what a retry can fix
(network errors, timeouts, 408, 429, 5xx), honouring Retry-After. Other 4xx
answers are the caller's mistake and raise SightlineError at once."""
from __future__ import annotations

import email.utils
import gzip
import json
import random
import threading
import time
import urllib.error
import urllib.request
from typing import Any, Optional, Union

__all__ = ["HttpClient", "SightlineError", "parse_retry_after"]


class SightlineError(Exception):
    """An error from the server (``status``/``code`` from its error envelope) or the network (status 0)."""

    def __init__(self, message: str, status: int = 0, code: str = "error", retryable: bool = False,
                 retry_after: Optional[float] = None, request_id: Optional[str] = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.retryable = retryable
        self.retry_after = retry_after
        self.request_id = request_id


def parse_retry_after(value: Optional[str]) -> Optional[float]:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        at = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, at.timestamp() - time.time())


class HttpClient:
    """One client per run; safe to share between threads (each request opens its own connection)."""

    def __init__(self, base_url: str, api_key: Optional[str] = None, timeout: float = 30.0,
                 max_attempts: int = 8, base_delay: float = 0.25, max_delay: float = 30.0,
                 max_retry_after: float = 120.0):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.max_retry_after = max_retry_after

    def backoff(self, attempt: int) -> float:
        # Full jitter (AWS architecture blog): spreads the retries of many clients apart.
        return random.random() * min(self.max_delay, self.base_delay * 2.0 ** min(attempt - 1, 40))

    def request(self, method: str, path: str, body: Any = None, *, raw: Optional[bytes] = None,
                gzip_body: bool = False, max_attempts: Optional[float] = None,
                stop: Optional[threading.Event] = None) -> Any:
        """Send a request and return the parsed JSON answer. ``raw`` is an already
        encoded JSON body (the journal stores bodies encoded once). ``max_attempts``
        may be ``float('inf')``: then it retries until it works or ``stop`` is set."""
        data = raw if raw is not None else (None if body is None else json.dumps(body, allow_nan=False).encode())
        if data is not None and gzip_body:
            data = gzip.compress(data, compresslevel=5)
        limit = self.max_attempts if max_attempts is None else max_attempts
        attempt = 0
        while True:
            attempt += 1
            if stop is not None and stop.is_set():
                raise SightlineError("request aborted", code="aborted")
            try:
                return self._once(method, path, data, gzip_body)
            except SightlineError as err:
                if not err.retryable or attempt >= limit:
                    raise
                # Retry-After is a floor, not a licence: "0" on every answer must not become a busy loop.
                delay = self.backoff(attempt)
                if err.retry_after is not None:
                    delay = max(delay, min(err.retry_after, self.max_retry_after))
            if stop is not None:
                if stop.wait(delay):
                    raise SightlineError("request aborted", code="aborted")
            else:
                time.sleep(delay)

    def _once(self, method: str, path: str, data: Optional[bytes], gzipped: bool) -> Any:
        headers = {"accept": "application/json", "user-agent": "sightline-python/0.1"}
        if self.api_key:
            headers["authorization"] = f"Bearer {self.api_key}"
        if data is not None:
            headers["content-type"] = "application/json"
            if gzipped:
                headers["content-encoding"] = "gzip"
        req = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as res:
                text = res.read()
        except urllib.error.HTTPError as e:
            raise _http_error(method, path, e) from None
        except (OSError, ValueError) as e:
            # Refused, reset, timed out: the server may or may not have stored the
            # request, which is why every retried write carries its idempotency key.
            raise SightlineError(f"network error: {e}", code="network_error", retryable=True) from None
        return json.loads(text) if text else None


def _http_error(method: str, path: str, e: "urllib.error.HTTPError") -> SightlineError:
    try:
        text = e.read().decode("utf-8", "replace")
    except OSError:
        text = ""
    code, message, request_id = f"http_{e.code}", text[:500] or str(e.reason), None
    try:
        env = json.loads(text).get("error")
        if isinstance(env, dict):
            code = env.get("code", code)
            message = env.get("message", message)
            request_id = env.get("request_id")
    except (ValueError, AttributeError):
        pass  # not the JSON envelope (a proxy's HTML page): keep the raw text
    retryable = e.code in (408, 429) or e.code >= 500
    retry_after = parse_retry_after(e.headers.get("retry-after")) if retryable and e.headers else None
    return SightlineError(f"{method} {path} -> {e.code} {code}: {message}", status=e.code, code=code,
                          retryable=retryable, retry_after=retry_after, request_id=request_id)


def encode_value(v: Union[int, float]) -> Union[int, float, str]:
    """JSON has no NaN or ±Infinity; the contract spells them as strings."""
    if v != v:
        return "NaN"
    if v == float("inf"):
        return "Infinity"
    if v == float("-inf"):
        return "-Infinity"
    return v
