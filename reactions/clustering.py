"""Which reports are one utterance on one occasion? Pure clustering of statements across outlets and languages.

A cluster is one act of speech: one speaker, one occasion (a press release, a briefing, a post), however many
outlets carried it and in whichever language. Reports of it are put together when they have the same speaker, are
close in time, and show evidence that they report the same words:

- the same quotation (after folding: spelling, punctuation, diacritics), in one language;
- the same person speaking (two different people of one body are two occasions);
- the same places, parties, bodies and people named, compared across Arabic and English through
  :mod:`reactions.names` (``Hasakah`` and ``الحسكة`` are one id);
- the same numbers; the same content words (same language); the same reaction type.

Merging two occasions is worse than leaving a report alone, so the evidence must add up to :data:`THRESHOLD`
and any contradiction vetoes a join: two different people, too far apart in time, two channels, words said at a
meeting or in a call with someone the other reports never name, a quotation that the speaker's own record of the
occasion (a transcript, a release) or a post quoted whole does not have.

Inside one document, the statements of one speaker (and one person) are one report: outlets split a statement
over several sentences. A sentence that points to an earlier occasion ("last month", "وكان ... قد") is kept
apart. An official source's own item (``official=True``: an item of a ``speaker =`` feed) is matched on its whole
text, so the reports that quote it join it.

The service (``storage``) and ``raqib extract --jsonl --cluster`` both call :func:`assign`; :class:`Clusterer`
keeps clusters in memory for the command line and tests.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
import re
import zlib
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from . import dictd
from .model import Statement
from .names import load_gazetteer
from .reaction_model import load_model
from .registry import load_registry
from .text import fold, fold_case

THRESHOLD = 2.5
WINDOW = dt.timedelta(hours=72)
SAME_DAY = dt.timedelta(hours=22)
FAR = dt.timedelta(hours=44)
QUOTE_WORDS = 4  # a quotation shorter than this is not evidence ("limited", "unacceptable")
REPRINT_SCORE = 92  # rapidfuzz ratio of two whole texts that are one reprinted
QUOTE_SCORE = 90  # rapidfuzz partial_ratio of a quotation against the other report's words
SPECIFIC_REACTIONS = frozenset(
    {"condemnation", "concern", "welcome", "call", "warning", "denial", "condolence", "support"}
)

WEIGHTS = {
    "quote": 3.0,  # a shared quotation (same language)
    "words": 2.0,  # times the share of content words in common (same language)
    "phrase": 0.25,  # each two-word phrase in common (same language; at most MAX_PHRASES)
    "entity": 1.0,  # each shared place, party or body named (at most MAX_ENTITIES)
    "headline": 0.5,  # times an entity shared only through a headline (across languages)
    "sound": 0.75,  # times a name no table holds, written in both scripts (its consonants; across languages)
    "entity_same_lang": 0.3,  # the same, between two reports in one language (their words count already)
    "translated": 6.0,  # times the share of words one report has in the other's language (across languages)
    "number": 1.0,  # each shared number (at most 2)
    "person": 1.0,  # the same person speaking
    "reaction": 0.5,  # the same specific reaction type
    "next_day": -1.0,  # more than SAME_DAY apart
    "far": -2.5,  # more than FAR apart
    "other_places": -3.0,  # both name places or parties, none the same
}
MAX_PHRASES = 8
# Evidence of the same act of speech, without which the person, the subject and the day are not enough (one
# spokesperson speaks on Gaza every day): a shared quotation or reprint, a shared number, SPECIFIC_PHRASES
# two-word phrases in common (one language), or SPECIFIC_NAMES places, parties and people named by both
# (two languages). Without it a score stays at UNSPECIFIC, below THRESHOLD.
SPECIFIC_PHRASES = 3.0
SPECIFIC_NAMES = 2
# Across languages, the share of words in common through the dictionary (see :func:`_translated`) from which
# two reports say the same words: as specific as a shared quotation.
SPECIFIC_TRANSLATED = 0.25
TRANSLATIONS_VERSION = 1  # of the cached table (:func:`translations`): a change to _stem or _root bumps it
MAX_SENSES = 30  # an Arabic word with more English senses than this says nothing (الرئيس: chairman, abbot, ...)
UNSPECIFIC = 2.0
BOILERPLATE = (
    0.6  # content words in common (cosine) above which two texts naming other places are boilerplate
)
TEMPLATE = (
    0.75  # content words in common above which two texts with other numbers are one template filled twice
)
RARE = 2  # a word, phrase or name in more reports than this around counts for less
MAX_ENTITIES = 4

# An earlier occasion recalled in passing: kept out of the document's report (folded text, both languages). A time
# alone ("last week", "الأسبوع الماضي") is most often when the events spoken of happened (on the pages clustering
# sets the statement was the same occasion 27 times in 30): only a time the words were said, or a pluperfect.
_BACKREF = re.compile(
    r"\b(?:(?:said|told|warned|announced|stated|wrote) (?:last (?:week|month|year)|earlier this (?:week|month|year)"
    r"|in (?:january|february|march|april|may|june|july|august|september|october|november|december))"
    r"|had (?:said|warned|called|announced|urged|described))\b"
    r"|في وقت سابق|^و?كان(?:ت)? (?:\S+ ){0,6}قد |^و?سبق (?:و?ان|ل)"
)
# The speaker's own earlier words recalled in a pluperfect without "قد" or a fixed verb list: "Pentagon officials
# had cautioned that ..." (not inside reported speech: "said that the premier had pledged" is the same occasion),
# "وكانت الوزارة قالت قبل ذلك" (folded text).
_PLUPERFECT = re.compile(
    r"^(?:(?!\b(?:that|said|says|revealed|added)\b).)*\bhad (?:\w+ )?(?:said|warned|called|announced|urged"
    r"|described|cautioned|stated|insisted|noted|stressed|indicated|suggested|claimed|denied|confirmed|acknowledged"
    r"|told|expressed|vowed|pledged|threatened|condemned|criticized|criticised|welcomed|rejected|dismissed|argued"
    r"|asserted|declared)\b"
    r"|^و?كان(?:ت)? (?:\S+ ){0,6}(?:قال|قالت|اعلن|اعلنت|اكد|اكدت|ذكر|ذكرت|صرح|صرحت|اوضح|اوضحت|حذر|حذرت|دعا|دعت"
    r"|ادان|ادانت|نفي|نفت)\b"
)
# A statement of an unnamed official or diplomat, or of an office (the prime minister's office, Downing Street):
# another voice than the named person beside it.
_UNNAMED = re.compile(
    r"\b(?:an? (?:senior )?(?:\w+ )?(?:official|diplomat)|a spokes(?:man|woman|person) for"
    r"|officials (?:said|(?:have|had) (?:\w+ )?(?:said|indicated|warned|suggested|stated|told)))\b"
    r"|['’]s office\b|\bمكتب رييس|\bdowning street\b|\bnumber 10\b|\bno\.? ?10\b|\bداو(?:ني|ن)نغ ستريت\b"
    r"|\bمسوول(?:ه)? (?:في|من|رفيع|امريكي|اميركي|بريطاني|كبير)|\bالدبلوماسي\b|\bدبلوماسي (?:امريكي|اميركي)"
)
# A statement that turns to another subject (folded text, at its start).
_TURN = re.compile(
    r"^(?:و|ف)?(?:عن |حول |بشان |فيما يتعلق|في ما يتعلق|في الشان|في ملف|على صعيد|من جهه اخري|من جانب اخر"
    r"|في سياق اخر|اما )"
    r"|^(?:separately|turning to|as for|regarding|on the (?:subject|issue|question) of|asked about|meanwhile"
    r"|elsewhere|in other)\b"
)
SUBJECT_KINDS = frozenset({"country", "city", "party"})
_NUMBER = re.compile(r"\d[\d,.]*")
_WORD = re.compile(r"[a-z\u0621-\u064a]+")
_TOKEN = re.compile(r"[0-9a-z\u0621-\u064a]+")
_AR_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل")
_AR_SUFFIXES = ("هما", "كما", "ات", "ون", "ين", "ها", "هم", "نا", "ه", "ي")
_STOP_EN = frozenset(
    """
about after again against also among another because been before being between both could during each
from further have having here into itself more most other over said says same should since some such than
that their them then there these they this those through told under until upon very were what when where
which while will with would your statement statements added saying according told reporters called
""".split()
)
_STOP_AR = frozenset(
    fold(w)
    for w in """
الذي التي الذين هذا هذه ذلك تلك إلى على عن من في مع بعد قبل حول خلال بين عند كما أن إن أنه أنها
قال قالت وقال وقالت وأضاف وأضافت أضاف أضافت أكد أكدت وأكد وأكدت مشيرا مؤكدا موضحا لافتا تصريح
تصريحات بيان اليوم أمس الثلاثاء الأربعاء الخميس الجمعة السبت الأحد الاثنين كان كانت يكون تكون
""".split()
)


@dataclass(frozen=True)
class Report:
    """One statement as clustering sees it (the caller's ``ref`` comes back in the answer)."""

    ref: Hashable
    doc: Hashable
    speaker: str
    lang: str
    time: dt.datetime  # naive UTC
    text: str
    person: str | None = None
    quotes: tuple[str, ...] = ()
    reaction: str = ""
    title: str = ""
    official: bool = False
    context: str = ""  # an official item: its whole text (all of it is the speaker's words)
    start: int = 0  # where the statement is in its document (characters)
    end: int = 0


@dataclass(frozen=True)
class Candidate:
    """A stored cluster and the reports in it."""

    id: Hashable
    reports: tuple[Report, ...]


@dataclass(frozen=True)
class _Evidence:
    lang: str
    start: dt.datetime
    end: dt.datetime
    persons: frozenset[str]
    entities: frozenset[str]
    titled: frozenset[str]  # names in the headline of the report's article (weaker: the article's subject)
    numbers: frozenset[str]
    words: frozenset[str]
    pairs: frozenset[str]
    quotes: tuple[str, ...]
    body: str
    reactions: frozenset[str]
    official: bool = False
    docs: frozenset[Hashable] = field(default_factory=frozenset)
    sounds: frozenset[str] = frozenset()  # consonant skeletons of names no table holds (reactions.names)
    channels: frozenset[str] = frozenset()  # how the report says the words were said (see :func:`channels`)
    counterparts: frozenset[str] = frozenset()  # who the words were said to or beside ("meeting with Stoltenberg")
    # Counts over the reports merged (see :attr:`record`): reports, those in the first person, those with quotation
    # marks, those saying who said them ("said", "according to").
    size: int = 1
    first_person: int = 0
    marks: int = 0
    reported: int = 0

    @property
    def record(self) -> bool:
        """The speaker's own words as said (an official item; a transcript's or a release's text: a third or more
        of its sentences in the first person, no quotation marks, few "said"), not a report of them."""
        return self.official or (self.first_person * 3 >= self.size and not self.marks
                                 and self.reported * 4 <= self.size)


def _normal(text: str) -> str:
    """Folded words and numbers: the form quotations and reprints are compared in."""
    return " ".join(_TOKEN.findall(fold(text)))


def _stem(word: str, lang: str) -> str | None:
    if lang == "ar":
        for prefix in _AR_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                word = word[len(prefix) :]
                break
        for suffix in _AR_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
        return None if len(word) < 3 or word in _STOP_AR else word[:6]
    if len(word) < 4 or word in _STOP_EN:
        return None
    return word[:6]


def _own_names(speaker: str) -> frozenset[str]:
    """Words of the speaker's own names and titles: every report of it has them, so they are no evidence."""
    return _speaker_words().get(speaker, frozenset())


@functools.lru_cache(maxsize=1)
def _speaker_words() -> dict[str, frozenset[str]]:
    registry = load_registry()
    out: dict[str, frozenset[str]] = {}
    for sp in registry.speakers.values():
        phrases = [sp.name_en, sp.name_ar, *registry.org_names[sp.id], *registry.title_names[sp.id]]
        stems: set[str] = set()
        for phrase in phrases:
            lang = "ar" if re.search("[\u0621-\u064a]", phrase) else "en"
            stems.update(s for w in _WORD.findall(fold(phrase)) if (s := _stem(w, lang)))
        out[sp.id] = frozenset(stems)
    return out


log = logging.getLogger(__name__)
_HAS_ARABIC = re.compile("[\u0621-\u064a]")


@functools.lru_cache(maxsize=1)
def translations() -> dict[str, frozenset[str]]:
    """Arabic word stems -> the roots of their English senses (see :func:`_stem`, :func:`_root`), from FreeDict's
    English-Arabic and Arabic-English dictionaries (:mod:`reactions.dictd`; phrases of one or two words). Built
    once per process: read from the cache file :func:`dictd.cached` keeps beside the user's other caches (0.1 s),
    else built (3 s of CPU) and cached. Without the dictionaries (Debian's ``dict-freedict-eng-ara`` and
    ``dict-freedict-ara-eng``; ``make install`` installs them) it is empty, with a warning: reports in two
    languages are then compared through names and numbers only."""
    try:
        return dictd.cached(f"translations-v{TRANSLATIONS_VERSION}-{MAX_SENSES}", _build_translations)
    except FileNotFoundError as e:
        log.warning("no English-Arabic dictionary (%s; apt-get install %s): reports in two languages are "
                    "compared through names and numbers only", e.filename, dictd.PACKAGES)
        return {}


def _build_translations() -> dict[str, frozenset[str]]:
    pairs: list[tuple[str, str]] = []  # (Arabic phrase, English phrase)
    for headword, senses in dictd.entries(dictd.ENGLISH_ARABIC):
        pairs.extend((sense, headword) for sense in senses if _HAS_ARABIC.search(sense))
    for headword, senses in dictd.entries(dictd.ARABIC_ENGLISH):
        pairs.extend((headword, sense) for sense in senses if not _HAS_ARABIC.search(sense))
    pairs = [(ar, en) for ar, en in pairs if ar.count(" ") <= 1 and en.count(" ") <= 1]
    phrases = list(dict.fromkeys(p for pair in pairs for p in pair))
    folded = dict(zip(phrases, fold_case("\n".join(phrases)).lower().split("\n"), strict=True))  # one pass
    words: dict[tuple[str, str], str | None] = {}

    def stems(phrase: str, lang: str) -> list[str]:
        out = []
        for word in _WORD.findall(folded[phrase]):
            if (word, lang) not in words:
                words[(word, lang)] = _stem(word, lang)
            if stem := words[(word, lang)]:
                out.append(stem)
        return out

    table: dict[str, set[str]] = {}
    for ar, en in pairs:
        english = stems(en, "en")
        if english:
            for stem in stems(ar, "ar"):
                table.setdefault(stem, set()).update(english)
    return {stem: frozenset(_root(w) for w in english) for stem, english in table.items()
            if len(english) <= MAX_SENSES}


@functools.lru_cache(maxsize=64)
def _own_entities(speaker: str) -> frozenset[str]:
    """The speaker's own body, country and people: every report of it names them, so they are no evidence."""
    registry = load_registry()
    sp = registry.speakers.get(speaker)
    own = {f"org:{speaker}"}
    if sp is not None and sp.country:
        own.add(f"country:{sp.country.upper()}")
    own.update(
        f"person:{p.id}" for p in registry.persons.values() if any(po.speaker == speaker for po in p.posts)
    )
    return frozenset(own)


@functools.lru_cache(maxsize=1)
def _lookalike_orgs() -> frozenset[str]:
    """Look-alike bodies of the registry: groupings ("other countries' governments"), not one party."""
    return frozenset(f"org:{sp.id}" for sp in load_registry().speakers.values() if not sp.tracked)


def warm_up() -> None:
    """Build what clustering, extraction and ``/who`` read on first use (the registry, the gazetteer, the
    speakers' own names, the reaction model's weights): a service calls it once at start-up, off the event loop
    (``asyncio.to_thread`` or a thread), so the first article or ``/who`` does not stall the loop for seconds.
    (Here, not in ``reactions.names``: clustering imports names, so names may not import clustering.)"""
    load_registry()
    load_model()  # (80 ms of json.loads holding the GIL at the first statement otherwise)
    _ = load_gazetteer().version  # (the fingerprint storage files names with: 70 ms)
    _speaker_words()
    _lookalike_orgs()
    translations()
    for speaker in load_registry().speakers:
        _own_entities(speaker)


def _numbers(text: str) -> frozenset[str]:
    found = set()
    for raw in _NUMBER.findall(fold(text)):
        digits = raw.rstrip(".,").replace(",", "")
        if not digits.replace(".", "").isdigit():
            continue
        value = float(digits)
        if value < 10 or (1900 <= value <= 2100 and "." not in digits):
            continue  # small counts and years say little
        found.add(digits)
    return frozenset(found)


@functools.lru_cache(maxsize=8192)
def _report_evidence(report: Report) -> _Evidence:
    gazetteer = load_gazetteer()
    text = report.context if report.official and report.context else report.text
    named = gazetteer.entities(text)
    if report.official and report.title:
        named |= gazetteer.entities(report.title)
        text = f"{report.title}\n{text}"
    persons = {report.person} if report.person else set()
    entities = named - _own_entities(report.speaker) - _lookalike_orgs()
    titled = frozenset()
    if report.title and not report.official:
        titled = gazetteer.entities(report.title) - _own_entities(report.speaker) - _lookalike_orgs()
    own = _own_names(report.speaker)
    stems = [s for w in _WORD.findall(fold(text)) if (s := _stem(w, report.lang)) and s not in own]
    words = frozenset(stems)
    pairs = frozenset(f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False) if a != b)
    quotes = tuple(q for q in (_normal(q) for q in report.quotes) if len(q.split()) >= QUOTE_WORDS)
    if report.official:  # the whole release is the speaker's words: its sentences are quotable
        quotes = tuple(
            s
            for s in (_normal(p) for p in re.split(r"(?<=[.!?؟])\s+|\n", text))
            if len(s.split()) >= QUOTE_WORDS * 2
        )
    reactions = frozenset({report.reaction}) & SPECIFIC_REACTIONS
    return _Evidence(
        report.lang,
        report.time,
        report.time,
        frozenset(persons),
        entities,
        titled,
        _numbers(text),
        words,
        pairs,
        quotes,
        _normal(text),
        reactions,
        report.official,
        frozenset({report.doc}),
        frozenset(f"~{k}" for k in gazetteer.skeletons(text)),
        frozenset() if report.official else channels(report.text),
        _counterparts(report.text) - _own_entities(report.speaker),
        1,
        _first_person(report.text),
        int(bool(_QUOTE_MARK.search(report.text))),
        int(bool(_REPORTED.search(fold(report.text)))),
    )


# What tells the speaker's own record of an occasion (a transcript, a release) from a report of it: sentences in
# the first person (English in the original case: "US" is no "us"; Arabic folded), no quotation marks (an opening
# single quote counts, an apostrophe does not), few attributions.
_QUOTE_MARK = re.compile("[«»“”„‟\"＂‘]|(?:^|[\\s:,])'\\w")
_REPORTED = re.compile(r"\b(?:said|says|told|according to|commented|added|stated|announced)\b"
                       r"|\b(?:و?قال|و?قالت|و?اضاف|و?اضافت|وفق|بحسب|و?اعلن|و?اعلنت|و?اكد|و?اكدت)\b")
_FIRST_PERSON = re.compile(r"\b(?:I|[Ww]e|[Oo]ur|us|[Mm]y|me)\b")
_FIRST_PERSON_AR = re.compile(r"\b(?:نحن|اننا|انني|انا|لدينا|نود|نريد)\b")


# An occasion with another party: a meeting, talks, a call, a (joint) press conference with someone (English in
# the original text, whose capitals the gazetteer reads; Arabic folded): the words after "with" / "مع" are searched
# for names.
_OCCASION_EN = re.compile(
    r"\b(?:at|during|after|before|ahead of|following|in) (?:a|an|the|his|her|their|its) (?:\w+ ){0,3}"
    r"(?:meeting|talks|call|news conference|press conference|visit) with ((?:\S+ ){1,6})", re.IGNORECASE)
_OCCASION_AR = re.compile(
    r"\b(?:و|ف)?(?:خلال|اثناء|في|عقب|بعد|قبل|اجري|اجرت) (?:\S+ )?(?:اجتماع|اجتماعه|اجتماعها|لقاء|لقايه|لقايها|مباحثات"
    r"|مباحثاته|اتصال|اتصالا|اتصاله|مو?تمر صحفي مشترك) (?:\S+ )?مع ((?:\S+ ){1,6})"
)


@functools.lru_cache(maxsize=16384)
def _counterparts(text: str) -> frozenset[str]:
    """The people, bodies and countries a statement says the words were said to or beside (a meeting, a call, a
    joint press conference with them): the occasion's other party."""
    found: set[str] = set()
    for m in [*_OCCASION_EN.finditer(text + " "), *_OCCASION_AR.finditer(fold(text) + " ")]:
        found |= load_gazetteer().entities(m.group(1))
    return frozenset(e for e in found if e.split(":", 1)[0] in ("person", "party", "org", "country"))


def _other_occasion(mine: _Evidence, parts: Sequence[_Evidence]) -> bool:
    """A report says the words were said to or beside someone (at a meeting, in a call) whom no report on the
    other side names: the other side reports another occasion."""
    theirs = frozenset().union(*(p.counterparts for p in parts))
    named = frozenset().union(*(p.entities | p.titled for p in parts))
    return bool(mine.counterparts and not mine.counterparts & named
                or theirs and not theirs & (mine.entities | mine.titled))


def _first_person(text: str) -> int:
    return int(bool(_FIRST_PERSON.search(text) or _FIRST_PERSON_AR.search(fold(text))))


def _unquoted(reports: _Evidence, record: _Evidence) -> bool:
    """Whether ``reports`` quotes the speaker at length (same language) and ``record`` (the speaker's own words
    of one occasion) has none of those words: the quotation is from another occasion."""
    if not record.record or reports.record or reports.lang != record.lang:
        return False
    long = [q for q in reports.quotes if len(q.split()) >= 2 * QUOTE_WORDS]
    return bool(long) and not _quote_found(long, record.body)


def _other_post(post: _Evidence, other: _Evidence) -> bool:
    """Whether ``post`` reports a post (a tweet: the only channel it names) and ``other``, in the same language,
    quotes the speaker at length with none of the post's words: a post is short and quoted whole, so words it
    does not have were said on another occasion (a briefing the same day on the same killing)."""
    if post.channels != {"post"} or post.lang != other.lang:
        return False
    mine = [q for q in post.quotes if len(q.split()) >= 2 * QUOTE_WORDS]
    theirs = [q for q in other.quotes if len(q.split()) >= 2 * QUOTE_WORDS]
    return bool(mine and theirs) and not (_quote_found(mine, other.body) or _quote_found(theirs, post.body))


def _merge(parts: Sequence[_Evidence]) -> _Evidence:
    first = parts[0]
    union = lambda name: frozenset().union(*(getattr(p, name) for p in parts))  # noqa: E731
    return _Evidence(
        first.lang,
        min(p.start for p in parts),
        max(p.end for p in parts),
        union("persons"),
        union("entities"),
        union("titled"),
        union("numbers"),
        union("words"),
        union("pairs"),
        tuple(q for p in parts for q in p.quotes),
        " ".join(p.body for p in parts),
        union("reactions"),
        any(p.official for p in parts),
        union("docs"),
        union("sounds"),
        union("channels"),
        union("counterparts"),
        sum(p.size for p in parts),
        sum(p.first_person for p in parts),
        sum(p.marks for p in parts),
        sum(p.reported for p in parts),
    )


@functools.lru_cache(maxsize=16384)
def is_backref(text: str) -> bool:
    """Whether a sentence recalls an earlier occasion ("last month", "وكان ... قد")."""
    f = fold(text)
    return bool(_BACKREF.search(f) or _PLUPERFECT.search(f))


@functools.lru_cache(maxsize=16384)
def _unnamed(text: str) -> bool:
    return bool(_UNNAMED.search(fold(text)))


def _voice(report: Report) -> str | None:
    """Who speaks: the named person, :data:`UNNAMED` for an unnamed official, a diplomat or an office,
    :data:`STANDING` for the body's standing position ("has said"), else None."""
    if report.person:
        return report.person
    if _unnamed(report.text):
        return UNNAMED
    return STANDING if _STANDING.search(report.text) else None


UNNAMED = "unnamed official"
# The body's standing position in the present perfect ("The Government has said all staff are accounted for"),
# beside a named person's words: not what the person said on the occasion reported.
STANDING = "standing position"
_STANDING = re.compile(r"\b(?:has|have) (?:\w+ )?(?:said|stated|maintained|insisted)\b")


def _voices(reports: Sequence[Report]) -> list[list[Report]]:
    """The reports of one document by speaker and voice, in text order: a statement naming no one goes with the
    voice before it (else the first one after it, not across a back-reference); a back-reference is a voice of
    its own."""
    groups: list[list[Report]] = []
    by_key: dict[tuple[str, str], list[Report]] = {}
    pending: dict[str, list[Report]] = {}
    last_voice: dict[str, str] = {}
    for report in reports:
        if is_backref(report.text) and not report.official:
            if report.speaker in pending:  # what came before the turn to an earlier occasion is no part of it
                groups.append(pending.pop(report.speaker))
            groups.append([report])
            continue
        voice = _voice(report)
        if voice:
            last_voice[report.speaker] = voice
            key = (report.speaker, voice)
            if key not in by_key:
                by_key[key] = []
                groups.append(by_key[key])
            by_key[key].extend(pending.pop(report.speaker, []))
            by_key[key].append(report)
        elif report.speaker in last_voice:
            by_key[(report.speaker, last_voice[report.speaker])].append(report)
        else:
            pending.setdefault(report.speaker, []).append(report)
    groups.extend(pending.values())
    return [g for g in groups if g]


def _subjects(voice: list[Report]) -> list[list[Report]]:
    """One voice's statements in text order, cut where a statement turns to another subject ("وعن الوضع في
    اليمن", "Turning to Iran, ...") or names another channel than the statements before it ("In a post on X,
    Starmer said" after what he told reporters: another occasion). On the clustering gold, a statement without
    such a turn is the same utterance as the one before it nine times in ten, while a change of places named
    is no sign (the same utterance names new places about as often as another one does). A post (a tweet, on
    X) among statements that name no channel is an occasion of its own, and the statements after it go on with
    those before it ("..., Cameron said Thursday. '...,' he said in a tweet. '...,' he said.")."""
    runs: list[list[Report]] = []
    said_through: set[str] = set()
    for report in voice:
        through = channels(report.text)
        other = bool(through and said_through and not through & said_through)
        if runs and through == {"post"} and not said_through:
            current = runs.pop()  # a post among words said otherwise: its own occasion; the words go on after it
            runs.extend(([report], current))
            continue
        if runs and not other and not _TURN.search(fold(report.text)):
            runs[-1].append(report)
            said_through |= through
        else:
            runs.append([report])
            said_through = set(through)
    return runs


# How a statement was made, when a sentence says it (folded text; two channels are two occasions).
_CHANNELS = {
    "post": re.compile(r"\b(?:posts?|posted|tweet(?:ed|s)?|wrote) on\b|\bin a (?:post|tweet)\b|\bon (?:x|twitter|"
                       r"facebook|instagram|telegram)\b|\b(?:x|twitter|facebook) account\b|تغريده|منشور"
                       r"|على (?:حسابه|حسابها|منصه)"),
    "statement": re.compile(r"\b(?:in|issued|released) a (?:written )?statement\b|\bstatement (?:from|by|issued)\b"
                            r"|\bفي بيان\b|\bبيانا\b"),
    "briefing": re.compile(r"\b(?:press|news) conference\b|\bbriefing\b|\btold reporters\b|مو?تمر صح(?:ف|اف)ي"
                           r"|للصح(?:ف|اف)يين|\bايجاز\b"),
    "interview": re.compile(r"\binterview\b|\bمقابله\b"),
    "speech": re.compile(r"\bspeech\b|\bخطاب\b"),
}


@functools.lru_cache(maxsize=16384)
def channels(text: str) -> frozenset[str]:
    """The channels a sentence says its statement was made through: post, statement, briefing, interview,
    speech."""
    folded = fold(text)
    return frozenset(name for name, pattern in _CHANNELS.items() if pattern.search(folded))


def group_document(reports: Sequence[Report]) -> list[tuple[Report, ...]]:
    """The reports of one document as utterances: one speaker, one voice (a named person, or an unnamed
    official) and one subject each (see :func:`_subjects`); an official item is one utterance."""
    out: list[tuple[Report, ...]] = []
    for voice in _voices(reports):
        if any(r.official for r in voice):
            out.append(tuple(voice))
        else:
            out.extend(tuple(unit) for unit in _subjects(voice))
    return out


def _evidence(group: Sequence[Report]) -> _Evidence:
    return _merge([_report_evidence(r) for r in group])


def _reprint(a: str, b: str) -> bool:
    """Whether two texts are one reprinted (agency copy, re-punctuated, trimmed): nearly the same characters, and
    no word replaced (when each has a word the other lacks, "Sudan" became "Lebanon" or "3" became "4")."""
    words_a, words_b = set(a.split()), set(b.split())
    if min(len(words_a), len(words_b)) < QUOTE_WORDS or (words_a - words_b and words_b - words_a):
        return False
    return fuzz.ratio(a, b) >= REPRINT_SCORE or fuzz.partial_ratio(a, b) >= REPRINT_SCORE


def _quote_found(quotes: Sequence[str], body: str) -> bool:
    return any(fuzz.partial_ratio(q, body) >= QUOTE_SCORE for q in quotes if len(q) <= len(body) + 20)


def _weight(shared: frozenset[str], common: dict[str, int] | None) -> float:
    """How much a set of shared words, phrases or names says: each counts 1, less when many reports of the
    speaker in the window have it (``common``: in how many they appear); "Gaza" in every report of a week of
    Gaza diplomacy is no evidence that two of them are one occasion."""
    if not common:
        return float(len(shared))
    return sum(min(1.0, RARE / common[key]) if common.get(key, 0) > RARE else 1.0 for key in shared)


def score(a: _Evidence, b: _Evidence, common: dict[str, int] | None = None,
          totals: dict[int, float] | None = None) -> float:
    """The evidence that two reports of one speaker are one occasion; ``-inf`` when something rules it out.

    ``common``: how many of the reports around have each word, phrase and name (see :func:`_weight`);
    ``totals``: a memo of each report's words weighed with ``common`` (by ``id`` of its words), for a caller that
    scores one report against many.
    """
    gap = max(a.start - b.end, b.start - a.end, dt.timedelta(0))
    if gap > WINDOW:
        return -math.inf
    if _other_people(a, b):
        return -math.inf
    if a.official and b.official:
        return -math.inf  # two items of the speaker's own feed are two releases
    if _other_channels(a, b):
        return -math.inf  # a speech and an interview, a briefing and a post: two occasions
    total = 0.0
    places_a, places_b = _places(a.entities), _places(b.entities)
    elsewhere = bool(places_a and places_b and not (places_a & places_b)) and not _within(places_a, places_b)
    if elsewhere:
        total += WEIGHTS["other_places"]
    if gap > FAR:
        total += WEIGHTS["far"]
    elif gap > SAME_DAY:
        total += WEIGHTS["next_day"]
    entities = min(_weight(a.entities & b.entities, common), MAX_ENTITIES)
    quoted = False
    if a.lang == b.lang:
        quoted = _quote_found(a.quotes, b.body) or _quote_found(b.quotes, a.body) or _reprint(a.body, b.body)
        alike = 0.0
        if min(len(a.words), len(b.words)) >= 5:
            alike = _weight(a.words & b.words, common) / math.sqrt(
                _total(a.words, common, totals) * _total(b.words, common, totals)
            )
        if elsewhere and (quoted or alike >= BOILERPLATE) or alike >= TEMPLATE and _other_numbers(a, b):
            return -math.inf  # the same words about another place or count: boilerplate, another statement
        phrases = _weight(a.pairs & b.pairs, common)
        total += WEIGHTS["quote"] * quoted + WEIGHTS["words"] * alike
        total += WEIGHTS["phrase"] * min(phrases, MAX_PHRASES)
        total += WEIGHTS["entity_same_lang"] * entities
        specific = quoted or phrases >= SPECIFIC_PHRASES
    else:
        named = (a.entities | a.titled) & (b.entities | b.titled)
        headline = _weight(named - (a.entities & b.entities), common)
        sounds = _weight(a.sounds & b.sounds, common)
        total += WEIGHTS["entity"] * min(entities + WEIGHTS["headline"] * headline + WEIGHTS["sound"] * sounds,
                                         MAX_ENTITIES)
        translated = _translated(a, b)
        total += WEIGHTS["translated"] * translated
        specific = len(named | (a.sounds & b.sounds)) >= SPECIFIC_NAMES or translated >= SPECIFIC_TRANSLATED
    if a.numbers & b.numbers:
        specific = True
    if gap > FAR and not quoted:
        specific = False  # days apart, only the same quotation tells the same words from a later recap of them
    total += WEIGHTS["number"] * min(len(a.numbers & b.numbers), 2)
    if a.persons & b.persons:
        total += WEIGHTS["person"]
    if a.reactions & b.reactions:
        total += WEIGHTS["reaction"]
    return total if specific else min(total, UNSPECIFIC)


def _translated(a: _Evidence, b: _Evidence) -> float:
    """How much of one report's words the other says in its language: the Arabic report's words whose English
    senses (:func:`translations`) the English one has, as a cosine (0 to 1) over the Arabic words the
    dictionary knows and the English words."""
    arabic, english = (a, b) if a.lang == "ar" else (b, a)
    if arabic.lang != "ar" or english.lang == "ar" or not english.words:
        return 0.0
    table = translations()
    known = [w for w in arabic.words if w in table]
    if not known:
        return 0.0
    roots = _roots(english.words)
    hits = sum(1 for w in known if not table[w].isdisjoint(roots))
    return hits / math.sqrt(len(known) * len(roots))


def _root(stem: str) -> str:
    """An English stem cut shorter, for meeting a dictionary's senses: "fails" and "fail", "desperate" and
    "despair" ("despe", "despa": no), "condemned" and "condemnation" are one."""
    return (stem[:-1] if stem.endswith("s") and len(stem) > 4 else stem)[:5]


@functools.lru_cache(maxsize=4096)
def _roots(words: frozenset[str]) -> frozenset[str]:
    return frozenset(_root(w) for w in words)


def _total(words: frozenset[str], common: dict[str, int] | None, totals: dict[int, float] | None) -> float:
    if totals is None:
        return _weight(words, common)
    key = id(words)
    if key not in totals:
        totals[key] = _weight(words, common)
    return totals[key]


def _other_numbers(a: _Evidence, b: _Evidence) -> bool:
    """Both texts give numbers, none the same."""
    digits_a = {t for t in a.body.split() if t.isdigit()}
    digits_b = {t for t in b.body.split() if t.isdigit()}
    return bool(digits_a and digits_b and not (digits_a & digits_b))


# Channels one act of speech is carried through together: a written statement is posted on the speaker's
# accounts as it is released.
_ONE_CHANNEL = {"post": "statement"}


def _other_channels(a: _Evidence, b: _Evidence) -> bool:
    """Both reports say how the words were said, and no way is the same (a post and a written statement are one)."""
    if not (a.channels and b.channels):
        return False
    one = lambda found: {_ONE_CHANNEL.get(c, c) for c in found}  # noqa: E731
    return not one(a.channels) & one(b.channels)


def _other_people(a: _Evidence, b: _Evidence) -> bool:
    return bool(a.persons and b.persons and not (a.persons & b.persons))


def _within(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether one side names a city of a country the other side names (Baghdad and Iraq are one place)."""
    gazetteer = load_gazetteer()
    return any(gazetteer.country_of(p) in b for p in a) or any(gazetteer.country_of(p) in a for p in b)


def _places(entities: frozenset[str]) -> frozenset[str]:
    return frozenset(e for e in entities if e.split(":", 1)[0] in SUBJECT_KINDS)


def commonness(evidence: Sequence[_Evidence]) -> dict[str, int]:
    """In how many of these reports each word, phrase and name appears."""
    counts: dict[str, int] = {}
    for ev in evidence:
        for key in ev.words | ev.pairs | ev.entities | ev.sounds:
            counts[key] = counts.get(key, 0) + 1
    return counts


@functools.lru_cache(maxsize=4096)
def _candidate_evidence(reports: tuple[Report, ...]) -> tuple[_Evidence, ...]:
    """A candidate cluster's utterances as evidence (cached: the same clusters come back with every article)."""
    return tuple(_evidence(part) for part in _split_docs(reports))


def _could_join(a: _Evidence, b: _Evidence) -> bool:
    """A cheap screen before :func:`score`: without a word, name, number or person in common, two reports
    cannot reach :data:`THRESHOLD`."""
    return bool(a.words & b.words or (a.entities | a.titled) & (b.entities | b.titled) or a.numbers & b.numbers
                or a.persons & b.persons or a.sounds & b.sounds)


def _split_docs(reports: Sequence[Report]) -> list[tuple[Report, ...]]:
    by_doc: dict[Hashable, list[Report]] = {}
    for report in reports:
        by_doc.setdefault(report.doc, []).append(report)
    out: list[tuple[Report, ...]] = []
    for members in by_doc.values():
        out.extend(group_document(members))
    return out


# --- finding candidates at scale ------------------------------------------------------------------------------
# A busy speaker has hundreds of clusters within WINDOW; comparing a new article with all of them costs
# hundreds of milliseconds. Each cluster is instead filed under keys (the names, numbers and person of its
# reports and a sample of their words), and a new article's groups are compared in full only with the
# MAX_LOADED clusters that share the most distinctive keys with them.

INDEX_WORDS = 24  # words of a group filed as keys: those with the lowest hash (a bottom-k sketch of its words)
MAX_LOADED = 16  # clusters of one speaker compared in full with a new article
ANY = "*"  # the key every cluster stored before keys were kept is filed under (nominated, weakly, always)
MAX_SPREAD = 64  # a key of more clusters than this around nominates none of them
MAX_REPORTS = 12  # reports of a cluster compared with a new article: its first ones (the original, early reprints)


def _stable_hash(word: str) -> int:
    return zlib.crc32(word.encode())


def group_keys(group: Sequence[Report]) -> frozenset[str]:
    """The keys a cluster is filed under for ``group`` (one utterance of one document): its places, parties,
    bodies and people named (the same ids in Arabic and English), its numbers, its person, and
    :data:`INDEX_WORDS` of its words, the same ones for any text that has them (the lowest hashes), so two
    reprints share most of them."""
    ev = _evidence(group)
    keys = {f"e:{e}" for e in ev.entities | ev.titled}
    keys.update(f"n:{n}" for n in ev.numbers)
    keys.update(f"p:{p}" for p in ev.persons)
    keys.update(f"s:{k}" for k in ev.sounds)
    keys.update(f"w:{w}" for w in sorted(ev.words, key=_stable_hash)[:INDEX_WORDS])
    return frozenset(keys)


def document_keys(reports: Sequence[Report]) -> dict[str, frozenset[str]]:
    """Per speaker, the keys of a document's groups (see :func:`group_keys`) and :data:`ANY`: what to look
    candidates up by. Not the person: every cluster of the person has it, and with nothing else in common
    two reports cannot be joined (see :func:`score`)."""
    out: dict[str, set[str]] = {}
    for group in group_document(reports):
        out.setdefault(group[0].speaker, {ANY}).update(k for k in group_keys(group) if not k.startswith("p:"))
    return {speaker: frozenset(keys) for speaker, keys in out.items()}


def nominate(rows: Iterable[tuple[Hashable, str]], limit: int = MAX_LOADED) -> list[Hashable]:
    """The clusters to compare in full, from ``(cluster id, key)`` rows (the clusters of one speaker within
    :data:`WINDOW` filed under one of the document's keys): at most ``limit``, those sharing the most keys,
    each key weighing 1 / the number of clusters filed under it (a name every cluster has says nothing), a key
    of more than :data:`MAX_SPREAD` clusters nothing (a caller may read only that many of its rows). Ties: the
    higher id (the newer cluster) first."""
    pairs = set(rows)
    spread: dict[str, int] = {}
    for _cid, key in pairs:
        spread[key] = spread.get(key, 0) + 1
    weight: dict[Hashable, float] = {}
    for cid, key in pairs:
        if spread[key] <= MAX_SPREAD or key == ANY:
            weight[cid] = weight.get(cid, 0.0) + 1.0 / spread[key]
    return sorted(weight, key=lambda cid: (-weight[cid], _order(cid)))[:limit]


def _order(cid: Hashable) -> tuple[int, object]:
    return (0, -cid) if isinstance(cid, int) else (1, str(cid))


def best_candidate(group: Sequence[Report], candidates: Sequence[Candidate]) -> Hashable | None:
    """The id of the candidate cluster ``group`` (one occasion of one document) belongs to, or None.

    A candidate is scored by its closest member report (members more than :data:`WINDOW` away do not count); a
    member spoken by another person of the body rules the cluster out.
    """
    ranked = _ranked(group, candidates)
    return ranked[0][1] if ranked else None


def _ranked(group: Sequence[Report], candidates: Sequence[Candidate]) -> list[tuple[float, Hashable]]:
    """The candidates ``group`` may join (score :data:`THRESHOLD` or more), best first."""
    mine = _evidence(group)
    speaker = group[0].speaker
    scored: list[tuple[Hashable, list[_Evidence]]] = []
    for candidate in candidates:
        if not candidate.reports or candidate.reports[0].speaker != speaker:
            continue
        scored.append((candidate.id, list(_candidate_evidence(tuple(candidate.reports)))))
    common = commonness([mine, *(ev for _id, parts in scored for ev in parts)])
    out: list[tuple[float, Hashable]] = []
    totals: dict[int, float] = {}  # the evidence objects live as long as this call: their ids stay theirs
    for order, (cid, parts) in enumerate(scored):
        if any(_other_people(mine, ev) for ev in parts):
            continue  # another person of the body speaks in this cluster: another occasion
        if _other_occasion(mine, parts):
            continue  # said at a meeting or in a call with someone the cluster's reports never name
        if any(_other_post(mine, ev) or _other_post(ev, mine) for ev in parts):
            continue  # a post's words are quoted whole: a report quoting other words at length is another occasion
        if any(_unquoted(mine, ev) or _unquoted(ev, mine) for ev in parts):
            continue  # a report in it quotes words the speaker's own record of the occasion does not have
        top = max((score(mine, ev, common, totals) for ev in parts if _could_join(mine, ev)), default=-math.inf)
        if top >= THRESHOLD:
            out.append((top, -order, cid))
    return [(top, cid) for top, _order, cid in sorted(out, key=lambda t: (-t[0], -t[1]))]


def assign(
    reports: Sequence[Report], candidates: Sequence[Candidate]
) -> list[tuple[tuple[Report, ...], Hashable | None]]:
    """The reports of one document, grouped by occasion, each group with the candidate cluster it joins (None:
    a new cluster). Candidates are the clusters of the same speakers within :data:`WINDOW` of the document.

    Two groups of one speaker in one document are two occasions (the document tells them apart: another voice,
    another subject, another channel), so they never join one cluster: the better-scored join is kept, the
    other group takes its next candidate or a new cluster."""
    groups = group_document(reports)
    options = [_ranked(group, candidates) for group in groups]
    chosen: list[Hashable | None] = [None] * len(groups)
    taken: set[tuple[str, Hashable]] = set()
    offers = sorted(((top, i, rank, cid) for i, ranked in enumerate(options) for rank, (top, cid) in enumerate(ranked)),
                    key=lambda o: (-o[0], o[1], o[2]))
    for _top, i, _rank, cid in offers:
        key = (groups[i][0].speaker, cid)
        if chosen[i] is None and key not in taken:
            chosen[i] = cid
            taken.add(key)
    return list(zip(groups, chosen, strict=True))


class Clusterer:
    """Clusters in memory, for a stream of documents in arrival order (``raqib extract --jsonl --cluster``).

    Candidates are found as the service finds them (:func:`document_keys`, :func:`nominate`), so the command
    measures what the service does."""

    def __init__(self) -> None:
        self._clusters: dict[int, list[Report]] = {}
        self._postings: dict[tuple[str, str], list[tuple[dt.datetime, int]]] = {}

    def add(self, reports: Sequence[Report]) -> dict[Hashable, int]:
        """Cluster one document's reports; returns ``ref -> cluster id``."""
        out: dict[Hashable, int] = {}
        if not reports:
            return out
        moment = min(r.time for r in reports)
        candidates: list[Candidate] = []
        for speaker, keys in document_keys(reports).items():
            rows = [(cid, key) for key in keys for when, cid in self._postings.get((speaker, key), ())
                    if abs(when - moment) <= WINDOW]
            candidates.extend(Candidate(cid, tuple(self._clusters[cid][:MAX_REPORTS])) for cid in nominate(rows))
        for group, chosen in assign(reports, candidates):
            if chosen is None:
                chosen = len(self._clusters) + 1
                self._clusters[chosen] = []
            self._clusters[chosen].extend(group)
            for key in group_keys(group):
                self._postings.setdefault((group[0].speaker, key), []).append((group[0].time, chosen))
            for report in group:
                out[report.ref] = chosen
        return out


def read_time(value: str | None) -> dt.datetime | None:
    """An ISO 8601 date or time (any offset; naive means UTC; a bare date is noon UTC) as naive UTC, or None
    when absent or unreadable. The one reader of stored and published times (storage and feeds use it too)."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        if len(text) == 10:
            return dt.datetime.fromisoformat(text).replace(hour=12)
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def parse_time(value: str | None, default: dt.datetime | None = None) -> dt.datetime:
    """:func:`read_time`, or ``default`` (else now) when absent or unreadable."""
    return read_time(value) or default or dt.datetime.now(dt.UTC).replace(tzinfo=None)


def document_reports(
    doc: Hashable,
    text: str,
    lang: str,
    published: str | None,
    statements: Sequence,
    *,
    title: str | None = None,
    official: bool = False,
) -> list[Report]:
    """The reports of one document's statements (``reactions.Statement``-like), refs ``(doc, index)``.

    ``title`` defaults to the text's first line when the text has more than one; ``official``: the document is
    an item of the speaker's own feed.
    """
    if title is None:
        head, _, rest = text.partition("\n")
        title = head if rest and len(head) <= 300 else ""
    when = parse_time(published)
    return [
        Report(
            ref=(doc, i),
            doc=doc,
            speaker=s.speaker,
            lang=lang,
            time=when,
            text=s.text,
            person=s.person,
            quotes=tuple(s.quotes or ()),
            reaction=s.reaction or "",
            title=title,
            official=official,
            context=text if official else "",
            start=s.start,
            end=s.end,
        )
        for i, s in enumerate(statements)
    ]


def official_statement(speaker: str, text: str, lang: str) -> Statement:
    """An official source's item as one statement of its speaker (the whole text; its reaction type from the
    classifier, ``announcement`` when it takes no other stance)."""
    from .reaction_types import classify

    reaction = classify(text, lang)
    return Statement(
        speaker=speaker,
        person=None,
        kind="reported",
        start=0,
        end=len(text),
        text=text,
        quotes=(),
        reaction=reaction if reaction not in ("statement", "other") else "announcement",
    )
