from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("STORYLINE_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "seeds"
EXAMPLES = ROOT / "examples" / "corpus"


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m storyline`` as a user would, capturing both streams."""
    return subprocess.run(
        [sys.executable, "-m", "storyline", *map(str, args)],
        capture_output=True, text=True, cwd=cwd or ROOT, timeout=300,
    )


def report_of(*args: str) -> dict:
    result = run_cli("analyze", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="session")
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"shared seeds not found at {SEEDS}")
    return SEEDS


@pytest.fixture(scope="session")
def seeds_story(seeds) -> tuple[dict, dict]:
    """The seeds' one story and its articles by id, from one `analyze` run."""
    report = report_of(seeds)
    return report["stories"][0], {a["id"]: a for a in report["articles"]}


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """``storyline serve`` in a subprocess, as a user starts it."""

    def __init__(self, store: Path):
        import time
        import urllib.request

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "storyline", "serve", "--store", str(store), "--port", str(self.port)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"storyline serve exited: {self.process.stderr.read()}")
            try:
                with urllib.request.urlopen(self.url + "/api/stories", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("storyline serve did not start within 60 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
