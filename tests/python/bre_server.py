"""A real bre-server for the Python client's tests: started on a free loopback port with
a temporary store (the server picks the port and writes it to --port-file), stopped
with SIGTERM; and the bre CLI of the same build."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import tempfile
import time
from typing import List, Optional

BUILD = os.environ["BRE_BINARY_DIR"]
SOURCE = os.environ["BRE_SOURCE_DIR"]
STANDARD = os.path.join(SOURCE, "examples", "pipelines", "standard.json")


def _die_with_parent() -> None:
    """In the server's process before exec: SIGTERM when the test process goes, however it
    goes (PR_SET_PDEATHSIG), so a test killed at its timeout leaves no server behind."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


def bre(*args: str) -> subprocess.CompletedProcess:
    """Runs build/bin/bre with `args`; fails the caller with its output if it fails."""
    done = subprocess.run([os.path.join(BUILD, "bin", "bre"), *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise AssertionError(f"bre {' '.join(args)}: exit {done.returncode}\n{done.stdout}{done.stderr}")
    return done


class Server:
    """build/bin/bre-server on 127.0.0.1:0 with a fresh store and `args`; a context
    manager whose ``target`` is HOST:PORT."""

    def __init__(self, args: Optional[List[str]] = None) -> None:
        self._work = tempfile.TemporaryDirectory(prefix="bre-python-test-")
        port_file = os.path.join(self._work.name, "port")
        self._log = open(os.path.join(self._work.name, "server.log"), "w+")
        self.process = subprocess.Popen(
            [os.path.join(BUILD, "bin", "bre-server"), "--listen", "127.0.0.1:0", "--store",
             os.path.join(self._work.name, "store"), "--port-file", port_file, "--log-level", "warn", *(args or [])],
            stdout=self._log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
        deadline = time.monotonic() + 20
        while not os.path.exists(port_file):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"bre-server did not start:\n{self.log()}")
            time.sleep(0.02)
        with open(port_file) as f:
            self.target = "127.0.0.1:" + f.read().strip()

    def log(self) -> str:
        """What the server wrote so far."""
        self._log.seek(0)
        return self._log.read()

    def stop(self) -> None:
        """SIGTERM, then waits for the server to exit; removes its store."""
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)
        self._log.close()
        self._work.cleanup()

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
