"""Statement extraction: the per-text driver over the stages in the modules beside it.

Pipeline for one text:
  1. mask markup (shortcodes, tags) with spaces, fold character by character (offsets kept), tokenise;
  2. ``units``: split into sentences; sentences joined by one quotation form a *unit* attributed once;
  3. ``mentions``: in each unit, outside quotations, speaker noun phrases (registry phrases: bodies,
     titles, people, anaphors);
  4. ``constructions``: each reporting construction (a row of ``constructions.toml``) paired with its
     subject; every pair names the construction that found it;
  5. ``attribution``: the unit's speaker is its first (English: its closing "..., X said") attributed
     subject; pronoun and anaphor subjects continue the current speaker when gender and type agree; an
     explicit other speaker breaks the chain; a later clause with another speaker is cut at its comma.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import re
import weakref
from itertools import compress, repeat
from operator import attrgetter

from .attribution import AttributionMixin, Context, age_context, is_subheading, opening_np
from .constructions import ConstructionsMixin
from .mentions import MentionsMixin
from .model import Attribution, Statement
from .reaction_model import reaction as reaction_type
from .reaction_types import classify
from .registry import Lexicon, Registry, load_registry
from .text import (
    PLACEHOLDER,
    detect_language,
    fold,
    fold_keep_offsets,
    has_ngram,
    mask_markup,
    scan_words,
    tokenize,
)
from .units import MAX_UNIT_CHARS, QUOTE, Unit, is_label, outside_is_empty, split_units, unit_view

_LOW = attrgetter("low")


def _day(published: object) -> str:
    """The publication day as YYYY-MM-DD (today when missing or unreadable)."""
    if isinstance(published, _dt.datetime):
        return published.date().isoformat()
    if isinstance(published, _dt.date):
        return published.isoformat()
    if isinstance(published, str) and len(published) >= 10:
        day = _iso_day(published[:10])
        if day:
            return day
    return _dt.date.today().isoformat()


@functools.lru_cache(maxsize=4096)
def _iso_day(text: str) -> str:
    try:
        return _dt.date.fromisoformat(text).isoformat()
    except ValueError:
        return ""


class _Doc(MentionsMixin, ConstructionsMixin, AttributionMixin):
    """State for extracting from one text."""

    def __init__(self, reg: Registry, text: str, lang: str, day: str) -> None:
        self.reg = reg
        self.lex = reg.lexicon
        self.text = text
        self.lang = lang
        self.day = day
        self.masked = mask_markup(text)
        self.folded = fold_keep_offsets(self.masked)
        lowered = self.folded.lower()
        self.lowered = lowered if len(lowered) == len(self.folded) else self.folded
        self.doc_persons: set[str] = set()
        # Arabic: surnames of people the registry lacks, named once after a tracked title ("المتحدث باسم
        # البنتاغون الكولونيل كونيه فولكنر إن"), with the speaker the title gave them (see note_unknown_names)
        self.unknown_names: dict[str, tuple[str, frozenset[str]]] = {}
        self._bare_title_ok: dict[tuple[str, str], bool] = {}
        self.ctx: Context | None = None
        self._home: dict[str, bool] = {}
        self._named_speakers: frozenset[str] | None = None
        self._words: tuple[int, int, list[str]] = (-1, -1, [])

    def speakers_named(self) -> frozenset[str]:
        """Every speaker a registry phrase names anywhere in the text (a body, a title, a person's full name
        with their post on the date): read only when a "sole" anaphor has nobody current."""
        # (the folded text folds to itself: its tokens are read without folding it again)
        toks = tokenize(self.folded, folded=self.folded)
        out: set[str] = set()
        index = self.reg.index
        # longest phrases from left to right, as ``match_at`` at every token would find them; only the tokens
        # not known to begin no phrase are looked at (picked out in C: most begin none)
        starts = compress(range(len(toks)), map(index._key_cache.get, map(_LOW, toks), repeat(True)))
        free = 0  # the first token after the last phrase found
        for i in starts:
            if i < free:
                continue
            m = index.match_at(toks, i)
            if not m:
                continue
            free = i + m[0]
            mm = m[1]
            if mm.kind in ("org", "title") and mm.speaker:
                out.add(mm.speaker)
            elif mm.kind == "person" and mm.full:
                for pid in mm.persons:
                    post = self.reg.persons[pid].post_on(self.day)
                    if post is not None:
                        out.add(post.speaker)
        return frozenset(out)

    def line_goes_on(self, last: str, first: str) -> bool:
        """Does an Arabic line ending in ``last`` go on in the next line opening with ``first`` (a page
        hard-wrapped mid-sentence): after a word that never ends a sentence ("في", "أن", an opening
        quotation mark; lexicon ``ar_line_continues``) or between the two words of a registry name ("لويد"
        / "أوستن"), unless the next line opens with a verb of saying?"""
        nxt = fold(first)
        if nxt in self.lex.verbs:
            return False  # a new sentence (a page joining two stories, the first cut off: "... في\nقال X")
        if last in ('"', "«", "“"):
            return True
        low = fold(last)
        return low in self.lex.w.ar_line_continues or f"{low} {nxt}" in self.reg.ar_name_starts

    def unit_words(self, unit: Unit) -> list[str]:
        """The unit's words (:func:`scan_words`), read once for the several cheap looks at one unit."""
        a, b, words = self._words
        if (a, b) != (unit.start, unit.end):
            words = scan_words(self.lowered, unit.start, unit.end, lowered=self.lowered is not self.folded)
            self._words = (unit.start, unit.end, words)
        return words

    def opens_with_tracked(self, unit: Unit) -> bool:
        """Cheap: may a tracked speaker's name be among the unit's first words (its subject)?"""
        words = scan_words(
            self.lowered, unit.start, min(unit.end, unit.start + 90), lowered=self.lowered is not self.folded
        )
        return has_ngram(words[:9], self.reg.tracked_keys, self.reg.tracked_last)

    def opens_with_bare_title(self, unit: Unit) -> bool:
        """Cheap: does the text open with a unique post's bare title ("Foreign Secretary Says ...")?"""
        if self.lang != "en" or self.text[: unit.start].strip():
            return False
        words = scan_words(self.lowered, unit.start, min(unit.end, unit.start + 40))
        return len(words) > 2 and f"{words[0]} {words[1]}" in self.lex.w.en_bare_titles

    def names_home_anaphor(self, unit: Unit) -> bool:
        """Cheap: may the unit hold an anaphor that names a speaker by itself in a text about its country
        ("a government spokesperson said")?"""
        if self.lang != "en":
            # "أدانت المملكة المتحدة ...": a country that may stand for the one body the text names
            return not self.reg.sole_words.isdisjoint(self.unit_words(unit))
        return not self.reg.home_words.isdisjoint(self.unit_words(unit))

    def scan(self, unit: Unit) -> tuple[bool, bool]:
        """Cheap look at the unit's words: (has a reporting verb or "according to", has a word sequence
        that can end the name of a tracked speaker)."""
        words = self.unit_words(unit)
        has_trig = not self.reg.triggers.isdisjoint(words)
        if not self.reg.tracked_last.isdisjoint(words) and has_ngram(
            words, self.reg.tracked_keys, self.reg.tracked_last
        ):
            return has_trig, True
        # "..., May said": the surname of someone named in full earlier in the text
        # (or a headline's surname, the full name further on: "Hague wants 'firm' Ukraine response")
        if self.reg.doc_only_words.isdisjoint(words):
            return has_trig, False
        return has_trig, bool(self.doc_persons) or (unit.start < 600 and self.headline_zone(unit.start))


# a transcript's speaker label opening a paragraph: "JOHN KIRBY:", "MR. PRICE:", "Q:"
_LABEL = re.compile(r"(?:Q|[A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+){0,6}):\s")


def _speaker_label(text: str, unit: Unit) -> bool:
    """Does the unit open a paragraph with a speaker's label in capitals?"""
    return (unit.start == 0 or text[unit.start - 1] == "\n") and bool(
        _LABEL.match(text, unit.start, unit.end)
    )


# the rules of a speaker's block and its label, whose greetings and procedure are no statements
_BLOCK_RULES = ("block-continuation", "headline-colon/label", "headline-colon")
_LABEL_NAMES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _label_names(reg: Registry) -> dict[str, tuple[str, ...]]:
    """Lower-case English full names and surnames (without initials) -> the persons they name (cached)."""
    got = _LABEL_NAMES.get(reg)
    if got is None:
        acc: dict[str, set[str]] = {}
        for p in reg.persons.values():
            for n in (*p.names_en, *p.surnames_en):
                key = " ".join(w for w in n.lower().replace(".", " ").split() if len(w) > 1)
                if key:
                    acc.setdefault(key, set()).add(p.id)
        got = {k: tuple(sorted(v)) for k, v in acc.items()}
        _LABEL_NAMES[reg] = got
    return got


def _label_speaker(reg: Registry, text: str, unit: Unit, day: str) -> Context | None:
    """A transcript's label of a tracked official opening a paragraph ("MR PRICE:", "SECRETARY OF DEFENSE
    LLOYD J. AUSTIN III:"): title words, initials and suffixes (lexicon lists) dropped, the name left must
    name exactly one person holding a tracked post on ``day``."""
    if unit.start != 0 and text[unit.start - 1] != "\n":
        return None
    m = _LABEL.match(text, unit.start, unit.end)
    if m is None or m.group(0).startswith("Q:"):
        return None
    w = reg.lexicon.w
    words = [x for x in m.group(0).rstrip()[:-1].lower().replace(".", " ").split() if x]
    while words and words[0] in w.en_label_titles:
        words.pop(0)
    while words and words[-1] in w.en_label_suffixes:
        words.pop()
    words = [x for x in words if len(x) > 1]
    if not words or len(words) > 3:
        return None
    found: set[tuple[str, str]] = set()
    for pid in _label_names(reg).get(" ".join(words), ()):
        person = reg.persons[pid]
        for post in person.posts:
            if post.covers(day) and reg.is_tracked(post.speaker):
                found.add((pid, post.speaker))
    if len(found) != 1:
        return None
    pid, speaker = found.pop()
    return Context(speaker, True, pid, frozenset({reg.persons[pid].gender}), rule="headline-colon/label")


_VOCATIVE = re.compile(r",\s*(?:[A-Z][\w'\-]+\s*){1,2}[.!?]*\s*$")


def _procedural(lex: Lexicon, sentence: str) -> bool:
    """A greeting or procedural line ("Good afternoon.", "A few things at the top.", "(Laughter.)"); a name
    addressed at its end ("Thanks, Pat.") and a word said again ("Yes, yes, yes.") change nothing."""
    sentence = _VOCATIVE.sub("", sentence)
    words = re.sub(r"[^\w' ]+", " ", sentence.lower().replace("\u2019", "'")).split()
    words = [x for i, x in enumerate(words) if i == 0 or x != words[i - 1]]
    if len(words) > 30:
        return False
    w = lex.w
    if any(" ".join(words[:n]) in w.en_block_opener_prefixes for n in range(1, 6)):
        return True
    if len(words) <= 30:
        joined = f" {' '.join(words)} "
        if any(f" {p} " in joined for p in w.en_block_procedure_phrases):
            return True
    if len(words) > 8:
        return False
    while words and words[-1] in ("everyone", "everybody", "all", "folks"):
        words.pop()
    return bool(words) and " ".join(words) in w.en_block_openers


def _paragraph_end(text: str, pos: int) -> int:
    """The end of the line (paragraph) holding ``pos``."""
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _list_line(text: str, unit: Unit) -> bool:
    """A bullet point ("• UK sanctions Russian officials ...") or a short line announcing a list ("They
    include:")."""
    if not _opens_paragraph(text, unit.start):
        return False
    line = text[unit.start : _paragraph_end(text, unit.start)].strip()
    return line[:1] in ("•", "·", "▪") or (line.endswith(":") and len(line.split()) <= 3)


def _discourse_marker(sentence: str) -> bool:
    """ "No.", "Look.", "Well.": a word that opens what follows (a rhetorical answer), not small talk."""
    return sentence.strip(" .!,").lower() in ("no", "look", "listen", "well", "so")


def _address_line(text: str, s: int, e: int) -> bool:
    """A speech's address, a line of a few words ending with a comma ("Mr. President,", "Distinguished
    Delegates,")."""
    line = text[s:e].rstrip()
    return (
        line.endswith(",")
        and len(line.split()) <= 4
        and _opens_paragraph(text, s)
        and not text[e : _paragraph_end(text, e)].strip()
    )


def _blank(text: str, pos: int) -> int:
    """How many white-space characters follow ``pos``."""
    return len(text) - pos - len(text[pos:].lstrip())


def _opens_paragraph(text: str, pos: int) -> bool:
    """Does ``pos`` open its line (only spaces before it)?"""
    line = text.rfind("\n", 0, pos) + 1
    return not text[line:pos].strip()


def _names_agenda(lex: Lexicon, sentence: str) -> bool:
    """Does a procedural line announce the business that follows ("I have one element at the top", "Before
    we begin, a few things.")?"""
    low = f" {' '.join(re.sub(r'[^a-z ]+', ' ', sentence.lower()).split())} "
    return any(f" {p} " in low for p in lex.w.en_block_agenda_phrases)


# the reaction types that make a sentence a position even among small talk ("Good afternoon. We condemn ...")
_STANCES = frozenset({"condolence", "condemnation", "denial", "warning", "concern", "support"})


def _takes_stance(sentence: str, lowered: str) -> bool:
    return classify(sentence, "en", lowered.replace(PLACEHOLDER, "")) in _STANCES


def _short_turn(lex: Lexicon, text: str, pos: int, lang: str) -> bool:
    """A transcript's turn of one short paragraph between two labels ("MR PRICE: Taiwan.", "MR PRICE: But I
    will take your word for it.", then "QUESTION: ..."): banter or a pointer to the next question, no
    position, unless one of its sentences takes a stance ("MR PRICE: We condemn it.")."""
    end = _paragraph_end(text, pos)
    nxt = end
    while nxt < len(text) and text[nxt].isspace():
        nxt += 1
    if nxt >= len(text) or not _LABEL.match(text, nxt):
        return False
    body = text[pos:end]
    sentences = [x for x in re.split(r"(?<=[.?!])\s+", body.strip()) if x]
    content = [x for x in sentences if not _procedural(lex, x)]
    if sum(len(x.split()) for x in content) > _SHORT_TURN_WORDS:
        return False
    return not any(_takes_stance(x, fold(x).lower()) for x in content)


_SHORT_TURN_WORDS = 16


def _page_intro(view: list, nps: dict, lex: Lexicon) -> Context | None | bool:
    """A line that introduces the page's text as someone's words: "Statement by Pentagon Press Secretary
    Peter Cook on ...", "The text of the comments made by Ben Wallace, the Secretary of State for Defence, on
    19 July 2020.": that speaker's Context (False: someone untracked, "Statement by NSC Spokesperson ...";
    None: no introduction).  Only a document noun and its modifiers come before "by" (not "The statement by
    the State Department concluded ...": a verb after the speaker makes it a sentence about the document)."""
    w = lex.w
    k = 2 if len(view) > 2 and view[1].low == ":" and view[0].low.isalpha() else 0  # "Defense: Statement by ..."
    while k < len(view) and (view[k].low in ("the", "•", "-", "text", "of", "full") or not view[k].low.isalnum()):
        k += 1
    owner = nps.get(k)
    if (
        owner is not None
        and owner.status == "tracked"
        and owner.speaker
        and view[-1].low == ")"
        and any(t.low == "(" for t in view[owner.i : owner.j])
        and all(t.case[:1].isupper() or not t.low.isalpha() for t in view[owner.j :])
    ):
        # Hansard's speaker line: "The Secretary of State for Foreign, Commonwealth and Development Affairs
        # (James Cleverly)", then the answer
        return Context(owner.speaker, True, owner.person, owner.genders, rule="block-continuation")
    if owner is not None and owner.j < len(view) and view[owner.j].low in ("'s", "s'"):
        # "Jeremy Hunt's opening remarks at press conference with Mike Pompeo"
        rest = view[owner.j + 1 : owner.j + 5]
        if (
            view[-1].low not in (".", "!", "?")  # a title, not "The Foreign Secretary's comments come amid ..."
            and owner.status == "tracked"
            and owner.speaker
            and any(t.low in w.en_intro_nouns for t in rest)
            and not any(t.low in lex.verbs for t in view[owner.j + 1 :])
        ):
            return Context(owner.speaker, True, owner.person, owner.genders, rule="block-continuation")
        return None
    if k + 1 < len(view) and view[k].low == "attributable" and view[k + 1].low == "to":
        by = k + 1  # "(Attributable to Pentagon Press Secretary John Kirby)"
    else:
        # "[Opening] statement [and global update of human rights concerns] [made] by X"
        noun, by = -1, -1
        for i in range(k, min(len(view), k + 14)):
            if view[i].low == "by":
                by = i
                break
            if view[i].low in w.en_intro_nouns:
                noun = i
            elif view[i].low in lex.verbs and view[i].low not in w.en_intro_participles:
                return None
            elif not view[i].low.isalpha() or (noun < 0 and i >= k + 8):
                return None
        if noun < 0 or by < 0:
            return None
    if by + 2 < len(view) and view[by + 1].low in ("the", "a", "an"):
        by += 1  # "issued by the Foreign Office"
    np_ = nps.get(by + 1)
    if np_ is None or (np_.status == "other" and np_.person):
        # "by Wendy Morton, the Parliamentary Under-Secretary of State for ...": a name the registry lacks
        # (or holding no tracked post on the date it knows), then the post that makes it a tracked speaker's
        k = by + 1 if np_ is None else np_.j
        while k < len(view) and k < by + 5 and np_ is None and view[k].case[:1].isupper():
            k += 1
        post = None
        if k > by + 1 and k + 1 < len(view) and view[k].low == ",":
            post = nps.get(k + 2) if view[k + 1].low == "the" else nps.get(k + 1)
        if post is not None and post.status == "tracked" and not post.person:
            person = np_.person if np_ is not None else None
            return Context(post.speaker or "", True, person, post.genders, rule="block-continuation")
        if np_ is None:
            return None
    if np_ is None or any(t.low in lex.verbs for t in view[np_.j :]):
        return None
    if np_.status != "tracked" or not np_.speaker:
        return False
    return Context(np_.speaker, True, np_.person, np_.genders, rule="block-continuation")


def _may_introduce(doc: _Doc, unit: Unit) -> bool:
    """Cheap: may the unit be a line introducing someone's words (a document noun among its first words,
    then "by")?"""
    words = doc.unit_words(unit)
    nouns = doc.lex.w.en_intro_nouns
    if words[:2] == ["attributable", "to"] or doc.masked[unit.start : unit.end].rstrip().endswith(")"):
        return _whole_line(doc.masked, unit)
    return (
        ("by" in words[:20] or any(m in doc.masked[unit.start : unit.start + 60] for m in ("'s ", "\u2019s ")))
        and any(x in nouns for x in words[:8])
        and _whole_line(doc.masked, unit)
    )


def _announces_following(view: list, lex: Lexicon) -> bool:
    """Does the unit announce the words that follow ("... made the following statement to the House of
    Commons on Wednesday 29 June 2011")?"""
    return any(
        view[i].low == "following" and view[i + 1].low in lex.w.en_intro_nouns for i in range(len(view) - 1)
    )


def _whole_line(text: str, unit: Unit) -> bool:
    """Is the unit a line of its own?"""
    return _opens_paragraph(text, unit.start) and not text[unit.end : _paragraph_end(text, unit.end)].strip()


def _named_before(view: list, k: int) -> bool:
    """Is the word before a verb at ``k`` a name ("Smith said"), not "to say", "I", "we"?"""
    return k > 0 and view[k - 1].case[:1].isupper() and view[k - 1].low not in ("i", "we", "it")


_HONORIFICS = frozenset({"mr", "ms", "mrs", "dr"})


def _titled_speaker(view: list, lex: Lexicon) -> bool:
    """Does a verb of saying have a titled name after it ("..., added Ms. Vellucci"): someone named speaks?"""
    for k in range(len(view) - 2):
        if view[k + 1].low in _HONORIFICS and view[k].low in lex.verbs:
            nxt = view[k + 3] if view[k + 2].low == "." and k + 3 < len(view) else view[k + 2]
            if nxt.case[:1].isupper():
                return True
    return False


def _bare_line(text: str, unit: Unit) -> bool:
    """A line of its own without a sentence's final punctuation (a heading: "Foreign Secretary speaks to
    media ahead of the Council meeting")."""
    a, b = unit.start, unit.end
    if not _whole_line(text, unit):  # (a line may be indented: "    • Ben Wallace – 2020 Comments on ...")
        return is_subheading(text, unit)
    line = text[a:b].rstrip()
    if line.endswith(",") or _DATE_LINE.match(line):
        return False  # "Mr. President,", "I beg to move," and a dateline ("Sept. 17, 2016") are no headings
    return bool(line) and line[-1] not in ".!?؟:;؛\"»”'" and len(line.split()) <= 20


_DATE_LINE = re.compile(
    r"\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:\d{1,2}\s+)?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?:\d{1,2},?\s+)?\d{4}"
    r"(?:,?\s+\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?\s*$",
    re.IGNORECASE,
)


def _names_person_first(view: list, nps: dict, block: Context, lex: Lexicon) -> bool:
    """Does the unit open with a noun phrase naming the block's own speaker in person?"""
    if not view:
        return False
    np0 = opening_np(view, nps, lex)
    return np0 is not None and np0.status == "tracked" and np0.person == block.person


def _runs_on(text: str, unit: Unit, qs: list[tuple[int, int]]) -> bool:
    """Does a quotation open the unit's paragraph and run, unclosed, to its end (a statement read out over
    several paragraphs: "X read the following statement:", then '“We are deeply concerned ...' with the
    closing mark paragraphs later)?"""
    if not qs:
        return False
    end = unit.end
    while end < len(text) and text[end] in " \t":
        end += 1
    if end < len(text) and text[end] != "\n":
        return False
    line = text[unit.start : unit.end].rstrip()
    return qs[0][0] <= unit.start and qs[-1][1] >= unit.end and line[-1:] not in "\"»”'’"


def _names_a_body(reg: Registry, text: str, qa: int, qb: int) -> bool:
    """Is the quotation at [qa, qb) only the name of a tracked body ("البنتاغون", "the Pentagon")?"""
    inner = text[qa + 1 : qb - 1].strip()
    if not inner or len(inner) > 40 or len(inner.split()) > 4:
        return False
    if reg.resolve(inner) is not None:
        return True
    # Arabic papers set people's names in quotation marks too ('وقال "كارتر" للصحفيين'): a registry
    # person's name, and nothing else, is the name (and a lone reporting verb is the verb)
    if not ("\u0600" <= inner[:1] <= "\u06ff") or len(inner.split()) > 3:
        return False
    toks = tokenize(fold(inner))
    if len(toks) == 1 and toks[0].low in reg.lexicon.verbs:
        return True  # a headline's verb in marks: 'وزير الدفاع البريطاني "يتوعد" هؤلاء'
    m = reg.index.match_at(toks, 0) if toks else None
    return m is not None and m[0] == len(toks) and m[1].kind == "person"


def _extract(
    reg: Registry, text: str, lang: str, day: str, trace: list[Attribution] | None = None
) -> list[Statement]:
    """Statements of ``text``; with ``trace``, also every speaker the text's speech was given to."""
    doc = _Doc(reg, text, lang, day)
    out: list[Statement | None] = []  # None: an announcement folded into what it announced
    prev_unit_statement: tuple[int, Context] | None = None
    unit_no = 0
    # English official pages: after "X said:" (unquoted paragraphs follow), a transcript's "JOHN KIRBY:" or a
    # UN briefing's "X for OHCHR said", the sentences that follow are X's until a heading, another
    # speaker's label or another speaker
    block: Context | None = None
    block_fresh = False
    # English: (unit number, index in ``out``) of a statement announcing what follows ("X said:")
    intro: tuple[int, int] | None = None
    # English transcripts: the end of a paragraph of small talk (opened by a greeting, up to a line that
    # announces the business: "... a few things at the top") and of a short exchange turn ("MR PRICE:
    # Taiwan.", then "QUESTION: ..."), whose sentences are no statements
    smalltalk_end = -1
    turn_end = -1
    turn: bool | str = False  # the block is a transcript's turn, opened by a speaker's label ("page": a page's)
    for unit, quotes in split_units(doc.masked, doc.line_goes_on if lang == "ar" else None):
        unit_no += 1
        if unit.end - unit.start > MAX_UNIT_CHARS:
            doc.ctx = None
            block = None
            continue
        qs = [(qa, qb) for qa, qb in quotes if qa < unit.end and qb > unit.start]
        pure_quote = bool(qs) and outside_is_empty(doc.masked, unit, qs)
        in_block = False
        if block is not None and lang == "en" and _list_line(doc.masked, unit):
            # a press release's bullet points and a list's "They include:" (names, not the body's words):
            # no statements, and the block goes on after them
            age_context(doc, unit)
            continue
        if block is not None:
            if (
                (pure_quote and block_fresh and not _runs_on(doc.masked, unit, qs))
                or _bare_line(doc.masked, unit)
                or _speaker_label(doc.masked, unit)
            ):
                # 'He said: "..."' is a quotation's (unless the quotation runs on, unclosed, over the
                # paragraphs that follow); a heading or a label ends the block
                block = None
            else:
                block_fresh = False
                in_block = True
        clauses: list[tuple[int, Context | None]] = []
        label = _label_speaker(reg, doc.masked, unit, day) if lang == "en" and not in_block else None
        if lang == "en" and not pure_quote and label is None and _may_introduce(doc, unit):
            page_view, _ = unit_view(doc.masked, doc.folded, unit, quotes)
            page_nps = doc.noun_phrases(page_view, doc.mentions(page_view))
            page_intro = _page_intro(page_view, page_nps, reg.lexicon) if page_nps else None
            if page_intro is not None:
                # "The statement made by X, the Foreign Secretary, in the House of Commons on ...": the
                # paragraphs that follow are X's words (someone untracked's: nobody tracked speaks them)
                block = page_intro or None
                block_fresh = False
                turn = "page"
                doc.ctx = page_intro or None
                prev_unit_statement = None
                intro = None
                continue
        if not pure_quote and not in_block and label is None:
            has_trig, has_tracked = doc.scan(unit)
            if not has_trig and has_tracked:
                # punctuation triggers near the unit's start: headline "بلينكن: ..."
                has_trig = any(
                    w in doc.folded[unit.start : min(unit.end, unit.start + n)]
                    for w, n in reg.window_triggers
                ) or any(
                    w in doc.folded[max(unit.start, unit.end - n) : unit.end] for w, n in reg.tail_triggers
                )
            if not has_trig:
                if has_tracked:
                    doc.note_persons(unit)
                if has_tracked and doc.opens_with_tracked(unit):
                    view, _ = unit_view(doc.masked, doc.folded, unit, quotes)
                    topic = doc.topic(view, doc.noun_phrases(view, doc.mentions(view)))
                    if topic is not None:
                        # "أدرجت الخارجية الأمريكية ... على قائمة الإرهاب. وجاء في بيان الوزارة ...": the
                        # sentence's subject is who a following "he said" or "the ministry" refers to
                        doc.ctx = topic
                        prev_unit_statement = None
                        continue
                age_context(doc, unit)
                continue
            if (
                not has_tracked
                and (doc.ctx is None or not doc.ctx.tracked)
                and not doc.names_home_anaphor(unit)
                and not (unit_no == 1 and doc.opens_with_bare_title(unit))
            ):
                # speech, but nobody from the registry and no tracked speaker to continue: not tracked
                doc.ctx = Context(None, False, None, frozenset())
                if trace is not None:
                    trace.append(Attribution(unit.start, unit.end, None, False, None, "no-registry-phrase"))
                prev_unit_statement = None
                continue
        if qs and not pure_quote:
            # a quoted name of a tracked body is the name, not a quotation ('المتحدث باسم "البنتاغون"')
            quotes = [(qa, qb) for qa, qb in quotes if not _names_a_body(reg, text, qa, qb)]
        view, qs = unit_view(doc.masked, doc.folded, unit, quotes)
        nps = {}
        prs = []
        if not pure_quote:
            ments = doc.mentions(view)
            nps = doc.noun_phrases(view, ments)
            prs = doc.pairs(view, nps)
            if lang == "ar":
                doc.note_unknown_names(view, nps, prs)
            clauses = doc.attribute(view, prs, nps)
        elif prev_unit_statement is not None and prev_unit_statement[0] == unit_no - 1:
            prev = prev_unit_statement[1]
            clauses = [
                (0, Context(prev.speaker, prev.tracked, prev.person, prev.genders, rule="quote-continuation"))
            ]
        label_quotes_other = False
        if label is not None and not any(c is not None and c.tracked for _vi, c in clauses):
            # "MR PRICE: ...": the label's official speaks the paragraph (a label the registry names in
            # full, "JOHN KIRBY: ...", is the headline-colon construction's already), unless the paragraph
            # gives its words to someone named who is not tracked ("... when President Biden said, and I
            # quote, “...”"): those are that speaker's, and the official's block still opens
            label_quotes_other = any(c is not None and c.speaker and not c.tracked for _vi, c in clauses)
            if not label_quotes_other:
                clauses = [(0, label)]
        if (
            in_block
            and block is not None
            and all(p.rule.startswith("headline-colon") for p in prs)
            and block.person
            and _names_person_first(view, nps, block, reg.lexicon)
        ):
            # "Foreign Secretary Boris Johnson speaks to media ahead of the Council:": the block's speaker
            # named in the third person is the page's narration (a heading, a caption), not their words; on
            # a page introduced as their words ("Jeremy Hunt's opening remarks at ...") the words go on after
            # the page's summary ("The Foreign Secretary spoke on 8 May, alongside ...")
            if turn == "page" and not prs:
                age_context(doc, unit)
                continue
            block = None
            in_block = False
        if in_block and block is not None and lang == "ar" and prs:
            # Arabic: a paragraph with a verb of saying of its own is the page's narration ('ونشرت وكالة ...
            # قالت فيه', 'وأشار التلفزيون ...', 'وأضاف'), not the block speaker's unquoted words: the block
            # ends and the verb's own subject speaks (a pronoun goes on with whoever spoke last)
            block = None
        elif in_block and block is not None:
            titled = _titled_speaker(view, reg.lexicon)
            if not titled and (
                not clauses
                or not any(
                    p.subject.kind == "np" or (p.subject.kind == "unknown" and _named_before(view, p.k))
                    for p in prs
                )
            ):
                # nobody named speaks ("I'm very pleased to say that ..."): the block's speaker goes on
                clauses = [(0, Context(block.speaker, True, block.person, block.genders, rule=block.rule))]
            elif turn is True and clauses and (clauses[0][1] is None or not clauses[0][1].tracked) and not titled:
                # a transcript's turn ("SECRETARY POMPEO: ..."): the official reports what others said ("The
                # United Kingdom, France, and Germany released a statement this week concluding ..."), and goes
                # on; quoting their very words gives the words to them ("..., and I quote, “...”")
                if qs:
                    clauses = []
                else:
                    clauses = [(0, Context(block.speaker, True, block.person, block.genders, rule=block.rule))]
            elif not clauses or clauses[0][1] is None or clauses[0][1].speaker != block.speaker:
                # someone else speaks (", added Ms. Vellucci", named with a title the registry lacks)
                block = None  # someone else speaks
        if not clauses:
            topic = doc.topic(view, nps) if nps else None
            if topic is not None:
                # a trigger word that reported no speech ("to discuss energy issues"): the sentence's
                # tracked subject is still who a following "he said" refers to
                doc.ctx = topic
                prev_unit_statement = None
                continue
            age_context(doc, unit)
            continue
        n_before = len(out)
        for ci, (vi, c) in enumerate(clauses):
            a = unit.start if vi == 0 else view[vi].start
            if ci + 1 >= len(clauses):
                b = unit.end
            else:
                nxt = clauses[ci + 1][0]
                # the clause ends at the comma before the next one ('called it "historic," while ...')
                b = view[nxt - 1].start if lang != "en" or view[nxt - 1].low != QUOTE else view[nxt].start
            if c is None:
                continue
            if trace is not None:
                trace.append(Attribution(a, b, c.speaker, c.tracked, c.person, c.rule))
            if not (c.tracked and c.speaker):
                continue
            for s, e in unit.sentences:
                s2, e2 = max(s, a), min(e, b)
                while s2 < e2 and text[s2].isspace():
                    s2 += 1
                while e2 > s2 and text[e2 - 1] in " \t،,;؛":
                    e2 -= 1
                if e2 - s2 < 3:
                    continue
                if c.rule.startswith("en-made-statement") and not doc.masked[s2:e].rstrip().endswith(":"):
                    continue  # "X made the following statement to the House on ...": the block that follows speaks
                if lang == "en" and c.rule in _BLOCK_RULES:
                    # "JOHN KIRBY: Good afternoon.", then "A few things at the top.": greetings and procedure
                    cut = s2
                    labelled = s2 == unit.start and _speaker_label(doc.masked, unit)
                    if labelled:
                        cut = doc.masked.index(":", s2) + 1
                        if _short_turn(reg.lexicon, doc.masked, cut, lang):
                            turn_end = _paragraph_end(doc.masked, cut)
                    if s2 < turn_end:
                        continue
                    sentence = text[cut:e2]
                    if _DATE_LINE.match(sentence) or (
                        _address_line(doc.masked, s2, e) and not _procedural(reg.lexicon, sentence)
                    ):
                        continue  # a dateline under the heading ("Sept. 17, 2016"), an address ("Excellencies,")
                    opens = labelled or _opens_paragraph(doc.masked, s2)
                    if _procedural(reg.lexicon, sentence):
                        if opens and not _discourse_marker(sentence):
                            smalltalk_end = _paragraph_end(doc.masked, s2)
                        if doc.masked[s2:e].rstrip().endswith(","):
                            # "I beg to move," then the motion's text: one procedure over two paragraphs
                            nxt = _paragraph_end(doc.masked, e2)
                            smalltalk_end = _paragraph_end(doc.masked, nxt + _blank(doc.masked, nxt))
                        if _names_agenda(reg.lexicon, sentence):
                            smalltalk_end = -1
                        continue
                    if s2 < smalltalk_end and not _takes_stance(sentence, doc.lowered[s2:e2]):
                        continue
                    smalltalk_end = -1
                inner = [
                    (qa, qb)
                    for qa, qb in qs
                    if qa < e2 and qb > s2 and not is_label(doc.masked, doc.folded, qa, qb, reg.lexicon.w)
                ]
                quotes_txt = tuple(
                    text[max(qa, s2) + (1 if qa >= s2 else 0) : min(qb, e2) - (1 if qb <= e2 else 0)].strip()
                    for qa, qb in inner
                )
                quotes_txt = tuple(q for q in quotes_txt if q)
                stext = text[s2:e2]
                out.append(
                    Statement(
                        speaker=c.speaker,
                        person=c.person,
                        kind="direct" if inner else "reported",
                        start=s2,
                        end=e2,
                        text=stext,
                        quotes=quotes_txt,
                        rule=c.rule,
                        reaction=reaction_type(stext, lang, doc.lowered[s2:e2].replace(PLACEHOLDER, "")),
                    )
                )
        if intro is not None and intro[0] == unit_no - 1 and len(out) > n_before:
            _merge_intro(out, intro[1], n_before, text, lang, doc.lowered)
        intro = None
        if len(out) > n_before and text[unit.start : unit.end].rstrip().endswith(":"):
            intro = (unit_no, len(out) - 1)
        last = clauses[-1][1] if not label_quotes_other else label
        if len(clauses) > 1 and lang == "ar" and clauses[-1][0] < len(view):
            if view[clauses[-1][0]].low in reg.lexicon.w.ar_relatives and clauses[-2][1] is not None:
                # "..., التي أعاد الرئيس الأمريكي العمل بها": a relative clause's speaker is not who the
                # next "وأوضح" continues; the sentence's own speaker is
                last = clauses[-2][1]
        if last is not None:
            doc.ctx = Context(last.speaker, last.tracked, last.person, last.genders, 0)
            ends_colon = doc.masked[unit.start : unit.end].rstrip().endswith(":")
            # a quotation standing alone next continues a statement that quoted, announced a quotation
            # (a colon), or in English any statement ('X said that ... . "We're doing so because ..."')
            prev_unit_statement = (
                (unit_no, last) if (last.tracked and (qs or ends_colon or lang == "en")) else None
            )
            if (
                last.tracked
                and not in_block
                and (lang == "en" or (ends_colon and "\n" in doc.masked[unit.end : unit.end + 2]))
                and (
                    ends_colon
                    or last.rule.endswith("/name-for")
                    or (_whole_line(doc.masked, unit) and _announces_following(view, reg.lexicon))
                    or (last.rule.startswith("headline-colon") and _speaker_label(doc.masked, unit))
                )
            ):
                block = Context(last.speaker, True, last.person, last.genders, rule="block-continuation")
                block_fresh = True
                turn = _speaker_label(doc.masked, unit)
        else:
            doc.ctx = None
            prev_unit_statement = None
    done = [st for st in out if st is not None]
    done.sort(key=lambda st: (st.start, st.end))
    if done and _cut_block_fragment(text, done[-1]):
        done.pop()
    return done


def _cut_block_fragment(text: str, st: Statement) -> bool:
    """A page cut off mid-word inside a speaker's block or a quotation continuing them ("... لكننا لن ندخل في ات",
    "... as you say. Our", '"But whenever there is excessive actio'): a few words with no reporting verb of their
    own are no statement (one with its own verb, "وتابع: ربما هناك
    العشرات م", stays)."""
    tail = text.rstrip()
    return (
        st.rule in ("block-continuation", "headline-colon/label", "quote-continuation")
        and st.end >= len(tail)
        and tail[-1:].isalpha()
        and len(text[st.start : st.end].split()) <= 6
    )


def _merge_intro(out: list[Statement | None], i: int, j: int, text: str, lang: str, lowered: str) -> None:
    """ "Foreign Secretary X said:" on a line of its own, then the paragraph it announces: one statement
    from the announcement to the end of the first sentence that follows (the announcement alone says
    nothing; the eval gold marks the two as one).  ``out[i]`` is folded into ``out[j]`` and set to None."""
    head, first = out[i], out[j]
    if (
        head is None
        or first.speaker != head.speaker
        or first.rule not in ("block-continuation", "quote-continuation")
        or "\n" not in text[head.end : first.start]
        or text[head.end : first.start].strip()
    ):
        return
    stext = text[head.start : first.end]
    out[j] = dataclasses.replace(
        first,
        start=head.start,
        text=stext,
        person=first.person or head.person,
        kind="direct" if (head.quotes or first.quotes) else first.kind,
        quotes=head.quotes + first.quotes,
        rule=head.rule,
        reaction=reaction_type(stext, lang, lowered[head.start : first.end].replace(PLACEHOLDER, "")),
    )
    out[i] = None


def extract(text: str, lang: str | None = None, published: str | _dt.date | None = None) -> list[Statement]:
    """Every statement by a tracked speaker in ``text`` (sorted by start).

    ``text`` may be bytes (decoded as UTF-8, bad bytes replaced); None or blank text has no statements;
    any other type is a TypeError.  A bug raises: callers that must survive one bad article guard it
    (the feed pipeline does)."""
    if text is None:
        return []
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if not isinstance(text, str):
        raise TypeError(f"extract() takes text (str or bytes), not {type(text).__name__}")
    if not text.strip():
        return []
    if "\x00" in text:
        text = text.replace("\x00", " ")
    lang = lang if lang in ("ar", "en") else detect_language(text)
    return _extract(load_registry(), text, lang, _day(published))


def explain(text: str, lang: str | None = None, published: str | _dt.date | None = None) -> list[Attribution]:
    """Every clause whose speech was given to someone, tracked or not ("the Syrian Observatory said":
    ``Attribution(speaker="sohr", tracked=False, ...)``), with the construction that found it: what
    ``extract`` decided and why, for debugging and for tests of look-alikes."""
    if not isinstance(text, str):
        raise TypeError(f"explain() takes text (str), not {type(text).__name__}")
    trace: list[Attribution] = []
    if text.strip():
        lang = lang if lang in ("ar", "en") else detect_language(text)
        _extract(load_registry(), text, lang, _day(published), trace)
    return trace
