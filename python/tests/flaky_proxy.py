"""A small HTTP proxy in front of the real Worker that misbehaves on purpose:
it drops requests before they reach the server, drops the answer after the
server has stored the request (so the client must retry a stored batch), delays,
and answers 503/429 with Retry-After. ``block`` answers 503 to every write."""
from __future__ import annotations

import collections
import http.client
import random
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, List, Optional, Tuple

FAULTABLE = ("/metrics", "/logs", "/finish", "/heartbeat")


class FlakyProxy:
    def __init__(self, upstream: str, fault_rate: float = 0.0, block: bool = False, seed: int = 7,
                 retry_after: str = "0"):
        self.upstream = urllib.parse.urlsplit(upstream)
        self.fault_rate, self.block = fault_rate, block
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.counts: Dict[str, int] = collections.Counter()
        self.retry_after = retry_after
        # Faults to apply first, in order, to faultable requests; then the random ones.
        self.script: List[str] = []
        self.log: List[Tuple[float, str, str]] = []  # (time, path, fault)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _any(self) -> None:
                proxy.handle(self)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def _choose(self, path: str, method: str) -> str:
        if method == "GET":
            return "pass"
        with self.lock:
            # Scripted faults reach run creation too; random ones only the batch routes.
            if self.script and path.endswith(FAULTABLE + ("/runs",)):
                return self.script.pop(0)
        if not path.endswith(FAULTABLE):
            return "pass"
        if self.block:
            return "503"
        with self.lock:
            if self.rng.random() >= self.fault_rate:
                return "pass"
            return self.rng.choice(["drop_before", "drop_after", "delay", "503", "429"])

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("content-length") or 0)
        body = h.rfile.read(length) if length else None
        fault = self._choose(h.path, h.command)
        with self.lock:
            self.counts[fault] += 1
            self.log.append((time.monotonic(), h.path, fault))
        if fault == "drop_before":
            h.close_connection = True
            return
        if fault in ("503", "429"):
            payload = b'{"error":{"code":"unavailable","message":"flaky proxy","request_id":"proxy"}}'
            h.send_response(int(fault))
            h.send_header("retry-after", self.retry_after)
            h.send_header("content-type", "application/json")
            h.send_header("content-length", str(len(payload)))
            h.end_headers()
            h.wfile.write(payload)
            return
        if fault == "delay":
            time.sleep(self.rng.uniform(0.1, 0.6))
        headers = {k: v for k, v in h.headers.items() if k.lower() not in ("host", "connection", "content-length")}
        conn = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=60)
        conn.request(h.command, h.path, body=body, headers=headers)
        res = conn.getresponse()
        data = res.read()
        conn.close()
        if fault == "drop_after":
            h.close_connection = True  # stored upstream; the client never hears
            return
        h.send_response(res.status)
        for k in ("content-type", "retry-after"):
            v: Optional[str] = res.getheader(k)
            if v:
                h.send_header(k, v)
        h.send_header("content-length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
