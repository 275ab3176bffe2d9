"""Results computed once per test session and shared by every pytest-xdist worker.

An expensive, deterministic computation that several tests read (comparing two parsers over a corpus) is
run by the first worker that needs it, under a file lock, and pickled into the session's shared temporary
folder; the other workers wait for the lock and read the file. Nothing is kept between sessions: the folder
is this run's own (``shared_dir``).
"""

from __future__ import annotations

import fcntl
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def session_dir(base_temp: Path, worker_id: str) -> Path:
    """A folder every worker of this test run shares, and no other run: without xdist, the session's own
    temporary folder; with it, the parent of the workers' folders (one per run, ``pytest-of-USER/pytest-N``)."""
    folder = base_temp if worker_id == "master" else base_temp.parent
    folder = folder / f"shared-{os.environ.get('PYTEST_XDIST_TESTRUNUID', 'solo')}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def once_per_session(folder: Path, name: str, compute: Callable[[], T]) -> T:
    """``compute()``'s result, computed by the first caller of this run and read from a file by the others."""
    result = folder / f"{name}.pickle"
    with open(folder / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes (also if compute() raises)
        if not result.exists():
            value = compute()
            partial = result.with_suffix(".partial")
            partial.write_bytes(pickle.dumps(value))
            partial.replace(result)
            return value
    return pickle.loads(result.read_bytes())
