"""gunicorn on a free loopback port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

from load.settings import BIN, HOST


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with sync workers on a free loopback port; stopped on leaving the block."""

    def __init__(self, app_uri: str, workers: int, env: dict[str, str], log_path: Path,
                 preload: bool = False):
        self.port = free_port()
        self.ready = Path(tempfile.mkdtemp(prefix="ready-", dir=log_path.parent))
        paths = [str(Path(__file__).resolve().parents[1]), env.get("PYTHONPATH", "")]
        env = {**env, "LOADTEST_READY_DIR": str(self.ready),
               "PYTHONPATH": os.pathsep.join(filter(None, paths))}
        gunicorn = BIN / "gunicorn"
        options = ["--workers", str(workers), "--bind", f"{HOST}:{self.port}",
                   "--timeout", "30", "--graceful-timeout", "5", "--config", "python:load.hooks",
                   *(["--preload"] if preload else [])]
        if "--no-control-socket" in subprocess.run(  # noqa: S603 - our own gunicorn
                [str(gunicorn), "--help"], capture_output=True, text=True).stdout:
            options.append("--no-control-socket")  # several test servers may run at once
        self.log_path = log_path
        self._log = log_path.open("a")
        self.process = subprocess.Popen([str(gunicorn), *options, app_uri],  # noqa: S603
                                        env=env, stdout=self._log, stderr=self._log)
        self.wait_until_serving(workers)

    def wait_until_serving(self, workers: int) -> float:
        """Wait until `workers` workers have loaded the app; returns the seconds waited."""
        started = time.monotonic()
        while time.monotonic() < started + 120:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped; see {self.log_path}")
            ready = {int(marker.name) for marker in self.ready.iterdir()}
            if len(ready & set(self.workers())) >= workers:
                return time.monotonic() - started
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn workers not ready within 120 s; see {self.log_path}")

    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def cpu_seconds(self) -> float:
        """User and system CPU time of the workers now alive (clock ticks → seconds)."""
        total = 0
        for pid in self.workers():
            try:
                fields_ = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields_[11]) + int(fields_[12])
        return total / os.sysconf("SC_CLK_TCK")

    def running_workers(self) -> list[int]:
        """Workers on the CPU now (in the middle of a request, while the load lasts)."""
        return [pid for pid in self.workers() if _state(pid) == "R"]

    def kill_busy_worker(self) -> int | None:
        """SIGKILL a worker, preferring one that is running (likely mid-request)."""
        victim = (self.running_workers() or self.workers() or [None])[0]
        if victim is not None:
            os.kill(victim, signal.SIGKILL)
        return victim

    def exceptions_logged(self) -> dict[str, int]:
        """The exception line ending each traceback in the log, counted."""
        found: Counter[str] = Counter()
        in_traceback = False
        for line in self.log_path.read_text(errors="replace").splitlines():
            if line.startswith("Traceback"):
                in_traceback = True
            elif in_traceback and line and not line[0].isspace():
                found[line[:200]] += 1
                in_traceback = False
        return dict(found)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "?"
