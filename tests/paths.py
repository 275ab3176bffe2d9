"""Where the tests find the repository and ``../shared`` (the project's shared data: seeds, corpora, eval).

:func:`shared` fails loudly when a file is missing: a test that needs ``../shared`` never skips itself.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def shared(*parts: str) -> Path:
    """``../shared/<parts>``; FileNotFoundError naming it when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: the tests need ../shared beside the repository "
                                f"(a checkout of the project's shared data at {SHARED})")
    return path
