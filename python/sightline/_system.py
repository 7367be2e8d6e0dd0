"""System metrics every N seconds, logged as ``system/*`` keys: CPU, memory,
disk and network from /proc (Linux), and per GPU utilisation, memory,
temperature and power from ``nvidia-smi`` when it is installed."""
from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from typing import Any, Dict, Optional, Tuple


def _cpu_times() -> Optional[Tuple[int, int]]:
    try:
        with open("/proc/stat") as f:
            parts = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = parts[3] + (parts[4] if len(parts) > 4 else 0)
    return sum(parts), idle


def _meminfo() -> Dict[str, float]:
    out: Dict[str, int] = {}
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                k, _, rest = line.partition(":")
                out[k] = int(rest.split()[0]) * 1024
    except (OSError, ValueError, IndexError):
        return {}
    total, avail = out.get("MemTotal"), out.get("MemAvailable")
    if not total or avail is None:
        return {}
    return {"system/memory_percent": 100.0 * (total - avail) / total, "system/memory_used_gb": (total - avail) / 1e9}


def _net() -> Optional[Tuple[int, int]]:
    rx = tx = 0
    try:
        with open("/proc/net/dev") as f:
            for line in f.readlines()[2:]:
                name, _, data = line.partition(":")
                if name.strip() == "lo":
                    continue
                cols = data.split()
                rx += int(cols[0])
                tx += int(cols[8])
    except (OSError, ValueError, IndexError):
        return None
    return rx, tx


def _gpus() -> Dict[str, float]:
    if shutil.which("nvidia-smi") is None:
        return {}
    fields = "utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw"
    try:
        out = subprocess.run(["nvidia-smi", f"--query-gpu={fields}", "--format=csv,noheader,nounits"],
                             capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    res: Dict[str, float] = {}
    names = ("gpu_percent", "memory_used_mb", "memory_total_mb", "temperature_c", "power_w")
    for i, line in enumerate(out.strip().splitlines()):
        for name, val in zip(names, line.split(",")):
            try:
                res[f"system/gpu.{i}.{name}"] = float(val)
            except ValueError:
                pass  # "[N/A]" on cards that do not report it
    return res


class SystemMonitor:
    def __init__(self, run: Any, every: float):
        self._run, self._every = run, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="sightline-system", daemon=True)
        self._thread.start()

    def sample(self, prev: Dict[str, Any]) -> Dict[str, float]:
        now = time.monotonic()
        out: Dict[str, float] = {}
        cpu = _cpu_times()
        if cpu and prev.get("cpu"):
            dt, di = cpu[0] - prev["cpu"][0], cpu[1] - prev["cpu"][1]
            if dt > 0:
                out["system/cpu_percent"] = 100.0 * (dt - di) / dt
        out.update(_meminfo())
        try:
            st = os.statvfs(os.getcwd())
            out["system/disk_percent"] = 100.0 * (1 - st.f_bavail / st.f_blocks) if st.f_blocks else 0.0
        except OSError:
            pass
        net = _net()
        if net and prev.get("net") and now > prev["t"]:
            out["system/network_rx_mbps"] = (net[0] - prev["net"][0]) * 8 / 1e6 / (now - prev["t"])
            out["system/network_tx_mbps"] = (net[1] - prev["net"][1]) * 8 / 1e6 / (now - prev["t"])
        out.update(_gpus())
        prev.update(cpu=cpu, net=net, t=now)
        return out

    def _loop(self) -> None:
        prev: Dict[str, Any] = {}
        self.sample(prev)
        step = 0
        while not self._stop.wait(self._every):
            self._run._log_system(self.sample(prev), step)
            step += 1

    def stop(self) -> None:
        self._stop.set()
