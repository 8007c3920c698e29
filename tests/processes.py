"""Real processes that tests of the real services start and stop themselves: a Redis server of
their own (so that stopping it harms nothing else on the machine), Celery workers sharing the
test database, and waiting on what they do: polling with a deadline, never a fixed sleep."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def until(condition: Callable[[], object], seconds: float, what: str) -> None:
    """Poll a condition another process will make true; fail with ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {seconds} s waiting for {what}")
        time.sleep(0.1)


def database_url() -> str:
    """The URL of the database the test runs in, for a process that must share it."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return (
        f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


class RedisServer:
    """A Redis server of the test's own on a free loopback port, keeping nothing on disk (its
    working directory is ``directory``)."""

    def __init__(self, directory: Path):
        self.directory, self.port = directory, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                *("--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory)),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        until(lambda: self._answers(client), 10, "redis to start")
        client.close()

    @staticmethod
    def _answers(client: redis.Redis) -> bool:
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        """Shut it down as an operator would (SIGTERM), and wait until it has gone."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


class Workers:
    """Celery workers, each in its own process as production runs them (a main process and a
    pool process that runs the tasks; here one task at a time), with ``env`` added to this
    process's environment. Each writes its log to ``directory``; ``close()`` kills whichever
    are still running and copies their logs to stderr, where pytest shows them on a failure."""

    def __init__(self, env: dict[str, str], directory: Path):
        self.env, self.directory = {**os.environ, **env}, directory
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self) -> subprocess.Popen[bytes]:
        n = len(self.processes) + 1
        command = [sys.executable, "-m", "celery", "-A", "scr", "worker", "--concurrency=1"]
        command += ["-n", f"drill{n}@%h", "-l", "info", "--without-mingle", "--without-gossip"]
        with self.log(n).open("wb") as log:
            process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        self.processes.append(process)
        return process

    def log(self, n: int) -> Path:
        """Where the ``n``th worker started (from 1) writes its log."""
        return self.directory / f"worker-{n}.log"

    def pool_process(self, worker: subprocess.Popen[bytes]) -> int:
        """The pid of the process running the worker's tasks, once it has started."""
        until(lambda: _children(worker), 30, "the worker's pool process")
        (pid,) = _children(worker)
        return pid

    @staticmethod
    def kill(pid: int) -> None:
        """``kill -9``: the process gets no chance to finish, acknowledge or clean up."""
        with contextlib.suppress(ProcessLookupError):  # it had gone already
            os.kill(pid, signal.SIGKILL)

    def close(self) -> None:
        """Kill every worker still running, and its pool process, which would outlive it."""
        for n, process in enumerate(self.processes, start=1):
            if process.poll() is None:
                for pid in [*_children(process), process.pid]:
                    self.kill(pid)
                process.wait(timeout=10)
            sys.stderr.write(f"--- worker {n} ---\n{self.log(n).read_text(errors='replace')}")


def _children(process: subprocess.Popen[bytes]) -> list[int]:
    """The pids of a process's children (Linux); none once it has gone."""
    try:
        return [
            int(pid)
            for pid in Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        ]
    except FileNotFoundError:
        return []
