"""The real server for browser tests: `lagesbild runserver` in a subprocess, on a free port."""

import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(env, stdout=subprocess.DEVNULL):
    """Serve the installation `env` describes (LAGESBILD_HOME, …); yields its base URL once it
    answers, and stops it afterwards."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "lagesbild", "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=stdout,
        stderr=subprocess.STDOUT if stdout is not subprocess.DEVNULL else subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
