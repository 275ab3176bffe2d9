"""Read a dictionary in the dictd format: FreeDict's English-Arabic and Arabic-English dictionaries (Arabeyes'
word list), as Debian's ``dict-freedict-eng-ara`` and ``dict-freedict-ara-eng`` install them under
``/usr/share/dictd`` (``make install`` installs them). Clustering reads them to see the same words in an
Arabic and an English report of one statement (see :func:`reactions.clustering.translations`).

A dictionary is two files: ``NAME.index`` (a headword, the offset and the length of its entry, both in
base 64, tab-separated, one a line) and ``NAME.dict.dz`` (the entries, dictzip: gzip with a seek table). An
entry is its headword line, then its senses, one a line, numbered ("1. Assistive") when more than one; a
pronunciation between slashes may follow a word ("مساعد /mˈusaːʕˌid/").
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from . import prebuilt

DICT_DIR = Path("/usr/share/dictd")
ENGLISH_ARABIC = "freedict-eng-ara"
ARABIC_ENGLISH = "freedict-ara-eng"
PACKAGES = "dict-freedict-eng-ara dict-freedict-ara-eng"

T = TypeVar("T")
_B64 = {ch: i for i, ch in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_SENSE_NUMBER = re.compile(r"^\d+\.\s*")
_PRONUNCIATION = re.compile(r"/[^/]*/")


def _b64(text: str) -> int:
    value = 0
    for ch in text:
        value = value * 64 + _B64[ch]
    return value


def entries(name: str, directory: Path | None = None) -> Iterator[tuple[str, list[str]]]:
    """``(headword, senses)`` of every entry of dictionary ``name`` in ``directory`` (default :data:`DICT_DIR`;
    the dictionary's own ``00-database`` entries left out; pronunciations removed). Raises FileNotFoundError
    when its files are not there."""
    directory = directory or DICT_DIR
    data = gzip.decompress((directory / f"{name}.dict.dz").read_bytes())
    with open(directory / f"{name}.index", encoding="utf-8") as index:
        for line in index:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or parts[0].startswith("00-database") or parts[0].startswith("00database"):
                continue
            start = _b64(parts[1])
            body = data[start : start + _b64(parts[2])].decode("utf-8", errors="replace").split("\n")
            yield _clean(parts[0]), [sense for line in body[1:] if (sense := _clean(line))]


def _clean(line: str) -> str:
    if line[:1].isdigit():
        line = _SENSE_NUMBER.sub("", line)
    if "/" in line:
        line = _PRONUNCIATION.sub("", line)
    return line.strip()


def cached(name: str, build: Callable[[], T], directory: Path | None = None) -> T:
    """``build()``, kept in a pickle under :func:`reactions.prebuilt.cache_dir` named after ``name`` and the
    dictionaries' files (their sizes and modification times: an upgraded package builds it anew). An
    unreadable cache is built again; an unwritable cache directory only costs the build next time.
    FileNotFoundError when the dictionaries are missing."""
    directory = directory or DICT_DIR
    stamp = hashlib.sha256(name.encode())
    for dictionary in (ENGLISH_ARABIC, ARABIC_ENGLISH):
        for suffix in (".index", ".dict.dz"):
            info = (directory / f"{dictionary}{suffix}").stat()  # FileNotFoundError: no dictionary
            stamp.update(f"{dictionary}{suffix}:{info.st_size}:{info.st_mtime_ns};".encode())
    return prebuilt.cached(name, build, stamp=stamp.hexdigest()[:16])
