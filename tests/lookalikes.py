"""Assertions for look-alike tests: no statement, and yet the sentence's speech was read and given to
someone untracked (so a test of a look-alike fails when the extractor finds nothing at all)."""

from __future__ import annotations

from reactions import explain, extract


def assert_untracked(text: str, day: str | None = None, lang: str | None = None) -> None:
    assert extract(text, lang=lang, published=day) == []
    seen = explain(text, lang=lang, published=day)
    assert seen, f"no speech found at all in {text!r}"
    assert not any(a.tracked for a in seen), seen
