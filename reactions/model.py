"""Data classes shared by the reactions package."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = ("direct", "reported")
# reaction types in the README's order of precedence (../shared/eval/README.md); ``statement`` when a
# statement takes none of the others' stances (older data may say ``other``: read it as ``statement``)
REACTIONS = (
    "condolence",
    "condemnation",
    "denial",
    "warning",
    "concern",
    "call",
    "welcome",
    "support",
    "announcement",
    "statement",
)


@dataclass(frozen=True)
class Statement:
    """One statement by a tracked speaker, located in the original text by ``start``/``end``."""

    speaker: str
    person: str | None
    kind: str
    start: int
    end: int
    text: str
    quotes: tuple[str, ...] = ()
    reaction: str = "statement"
    rule: str = (
        ""  # the construction that found it: its name in constructions.toml, "/", where the subject was
    )

    def to_dict(self) -> dict[str, Any]:
        """The JSON fields of the eval format (``quotes`` as a list)."""
        return {
            "speaker": self.speaker,
            "person": self.person,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "quotes": list(self.quotes),
            "reaction": self.reaction,
            "rule": self.rule,
        }


@dataclass(frozen=True)
class Attribution:
    """A clause whose speech ``extract`` gave to someone: a tracked speaker, a look-alike (``tracked``
    False, ``speaker`` its registry id) or someone the registry lacks (``speaker`` None)."""

    start: int
    end: int
    speaker: str | None
    tracked: bool
    person: str | None
    rule: str


@dataclass(frozen=True)
class Post:
    """A post a person held for a speaker between two ISO dates (inclusive; empty means open)."""

    speaker: str
    role: str
    start: str = ""
    end: str = ""

    def covers(self, day: str) -> bool:
        return (not self.start or self.start <= day) and (not self.end or day <= self.end)


@dataclass(frozen=True)
class Person:
    id: str
    gender: str
    names_en: tuple[str, ...]
    names_ar: tuple[str, ...]
    surnames_en: tuple[str, ...]
    surnames_ar: tuple[str, ...]
    surname_alone: bool  # English surname alone identifies the person
    posts: tuple[Post, ...]
    surname_alone_ar: bool = True  # Arabic surname alone identifies the person (when in post)

    def post_on(self, day: str) -> Post | None:
        for post in self.posts:
            if post.covers(day):
                return post
        return None


@dataclass(frozen=True)
class Speaker:
    """A body whose statements Raqib tracks (or, with ``tracked=False``, a known look-alike)."""

    id: str
    name_en: str
    name_ar: str
    flag: str
    aliases: tuple[str, ...]
    tracked: bool = True
    country: str = ""
    gender: str = "f"
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
