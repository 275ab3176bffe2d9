"""Statement extraction and attribution.

Pipeline for one text:
  1. mask markup (shortcodes, tags) with spaces, fold character by character (offsets kept), tokenise;
  2. split into sentences; sentences joined by one quotation form a *unit* that is attributed once;
  3. in each unit, outside quotations: find speaker noun phrases (registry phrases: bodies, titles,
     people, anaphors) and reporting verbs, and pair each verb with its subject (Arabic verb-subject
     or subject-verb order, English subject-verb, "said X", "according to X", "X, who ..., said");
  4. the unit's speaker is its first (English: its closing "..., X said") attributed subject;
     pronoun and anaphor subjects ("وأضافت", "he added", "البيان") continue the current speaker when
     gender and type agree; any explicit other speaker breaks the chain; when unsure, abstain;
  5. a later clause with a different explicit speaker is cut off at its comma.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import re
from dataclasses import dataclass, field

from .model import Statement
from .reaction_types import classify
from .registry import Mention, Registry, load_registry
from .text import (
    PLACEHOLDER,
    Token,
    detect_language,
    find_quotes,
    fold_keep_offsets,
    mask_markup,
    ngrams,
    paragraphs,
    scan_words,
    split_sentences,
    tokenize,
)

MAX_UNIT_CHARS = 4000  # longer units are not analysed (runaway quotes, junk)
MAX_CONTEXT_AGE = 3  # sentences without speech after which an anaphor ("الوزارة") is no longer trusted
MAX_PRONOUN_AGE = 1  # the same for a bare English pronoun ("he said")
MAX_PRONOUN_AGE_AR = 0  # and for an Arabic verb without subject ("وأضاف"): only the very next sentence
QUOTE = '"'
_AR_ACCORDING = frozenset(
    ["بحسب", "حسب", "وبحسب", "وحسب", "وفقا", "ووفقا", "وفق", "ووفق", "طبقا", "وطبقا", "نقلا", "ونقلا"]
)
_EN_SOURCE_SKIP = frozenset(
    [
        "a",
        "an",
        "the",
        "statement",
        "statements",
        "from",
        "by",
        "released",
        "issued",
        "comments",
        "remarks",
        "report",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "of",
        "tweet",
        "briefing",
        "readout",
        "readouts",
    ]
)
_AR_SOURCE_SKIP = frozenset(
    [
        "ما",
        "بيان",
        "بيانا",
        "لبيان",
        "تصريحات",
        "تصريح",
        "ل",
        "صادر",
        "الصادر",
        "عن",
        "من",
        "افاد",
        "ذكر",
        "اعلن",
        "قال",
        "قالت",
        "ذكرت",
        "اعلنت",
        "افادت",
    ]
)
_AR_OBJECT_GAP = frozenset(
    ["بعد", "قبل", "مع", "عقب", "اثر", "لقاء", "لقايه", "لقايها", "اجتماع", "اجتماعه", "اجتماعها", "الذي", "التي"]
    + ["التقي", "التقت", "استقبل", "استقبلت", "عن", "ضد"]
)
_AR_VENUE = frozenset(
    ["افاده", "صحفيه", "صحافيه", "صحفي", "صحافي", "موتمر", "بيان", "مقابله", "تغريده", "حديث", "تصريحات", "كلمه"]
)
_AR_QUOTED = frozenset(["نقل", "نقلت", "ونقل", "ونقلت", "فنقل", "فنقلت"])
_AR_MASDAR_SKIP = frozenset(["صادر", "الصادر", "صادره", "الصادره", "عن", "من", "ل", "،", ","])
_AR_NEEDS_COMP = frozenset(
    ["اعلان", "تصريح", "تصريحات", "تاكيد", "قول", "اشاره", "تحذير", "دعوه", "افاده", "حديث"]
)
_AR_SV_GAP = frozenset(
    ["قد", "لقد", "كان", "كانت", "وكان", "وكانت", "الذي", "التي", "،", ",", "فقد", "وقد", "ايضا"]
)
_EN_ISSUE = frozenset(["issued", "issues", "released", "releases", "published", "publishes"])
_EN_WHILE = frozenset(["while", "whereas", "whilst"])  # ", while X said ...": another speaker's clause
_WHILE_WORDS = _EN_WHILE | frozenset(["بينما", "وبينما", "فيما", "في"])
_AR_KANA = frozenset(["كان", "كانت", "وكان", "وكانت", "فكان", "فكانت"])
_FORMER = frozenset(
    [
        "السابق",
        "السابقه",
        "سابق",
        "سابقه",
        "الاسبق",
        "الاسبقه",
        "اسبق",
        "former",
        "ex",
        "formerly",
        "erstwhile",
    ]
)
_AR_SOURCE_NOUNS = frozenset(["تقرير", "بيان", "تغريده", "رساله", "وثيقه", "مذكره", "تقييم", "منشور", "بلاغ"])
_JOIN_GAP = frozenset([",", "،", "(", ")", "-", "ـ", "the", "'s"])
_ORG_KINDS = ("org", "title")
_AR_NOT_VERBS = frozenset(  # sentence openers that are not verbs (prepositions, connectors)
    """وفي في ومن من وعلى على وبعد بعد وقبل قبل ومع مع وفيما فيما وخلال خلال وبحسب بحسب ووفقا وفقا واثر اثر
    وعقب عقب ولدى لدى وامام امام بدوره بدورها كما وكما لكن ولكن بينما اما واما ثم""".split()
)
_WORDS = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+")


@dataclass
class NP:
    i: int
    j: int  # view-token range [i, j)
    status: str  # tracked | other | anaphor
    speaker: str | None = None
    person: str | None = None
    genders: frozenset[str] = frozenset()
    soft: bool = False
    refers: tuple[str, ...] = ()
    personlike: bool = False
    clitic: str = ""


@dataclass
class Subject:
    kind: str  # np | pronoun | unknown
    np: NP | None = None
    gender: str = ""


@dataclass
class Pair:
    k: int  # verb index in the view
    verb_kind: str
    subject: Subject


@dataclass
class Context:
    speaker: str | None  # None: someone not in the registry
    tracked: bool
    person: str | None
    genders: frozenset[str]
    age: int = 0
    pronoun_ok: bool = True  # English: may "he said" still refer to this speaker after a silent sentence?


@dataclass
class Unit:
    start: int
    end: int
    sentences: list[tuple[int, int]] = field(default_factory=list)


_HOME_PLACES = frozenset(["واشنطن", "لندن", "جنيف", "نيويورك"])


def _elsewhere(view: list[Token]) -> bool:
    """Does the unit open with "وفي <place>،" naming a place other than a tracked speaker's seat?"""
    if len(view) < 3 or view[0].low not in ("في", "وفي"):
        return False
    for k in range(2, min(5, len(view))):
        if view[k].low in ("،", ","):
            return view[1].low not in _HOME_PLACES and not view[1].low.startswith(("ال", "بيان", "تصريح"))
    return False


_AFTER_SAID_X = frozenset(
    ["on", "in", "at", "during", "after", "before", "while", "last", "this", "today", "yesterday", "late", "early"]
)


def _quote_before_break(view: list[Token], a: int, b: int) -> bool:
    """A quotation among view[a:b] before any comma or full stop ("called the attack \"unprovoked\"")."""
    for q in range(a, min(b, len(view))):
        low = view[q].low
        if low == QUOTE:
            return True
        if low in (",", ".", ";", "،", ":") and not (q + 1 < len(view) and view[q + 1].low == QUOTE):
            return False
    return False


def _post_specifier(gap: list[Token]) -> bool:
    """Words that narrow a title down ("للشؤون الأوروبية", "for European and Eurasian Affairs")."""
    first = gap[0]
    if first.ar:
        if first.low == "لدي" and 2 <= len(gap) <= 3:
            return True  # "السفير البريطاني لدى المملكة جون جنكينز"
        return first.low.startswith(("لل", "لشو")) and first.low not in ("للصحفيين", "للصحافيين", "للصحافه")
    return first.low == "for" and all(t.case[:1].isupper() or t.low in ("and", "of", "the") for t in gap[1:])


def _clause_initial(view: list[Token], i: int) -> bool:
    """Does the phrase at ``i`` open its clause (text start, or after a comma, dash, quote or colon)?"""
    while i > 0 and view[i - 1].low in ("the", "a", "an"):
        i -= 1
    return i == 0 or view[i - 1].low in (",", QUOTE, ":", "-", "(")


def _day(published: object) -> str:
    if isinstance(published, _dt.datetime):
        return published.date().isoformat()
    if isinstance(published, _dt.date):
        return published.isoformat()
    if isinstance(published, str) and len(published) >= 10:
        try:
            return _dt.date.fromisoformat(published[:10]).isoformat()
        except ValueError:
            pass
    return _dt.date.today().isoformat()


def _is_ar(tok: Token) -> bool:
    return tok.ar


class _Doc:
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
        self.has_marks = PLACEHOLDER in self.folded
        self.has_dots = "." in self.folded
        self.doc_persons: set[str] = set()
        self.ctx: Context | None = None

    # --- units ------------------------------------------------------------------------------------
    def units(self) -> list[tuple[Unit, list[tuple[int, int]]]]:
        """Sentences grouped by the quotations that join them, each with the quotations it overlaps."""
        out: list[tuple[Unit, list[tuple[int, int]]]] = []
        sents = split_sentences(self.masked)
        si = 0
        for pa, pb in paragraphs(self.masked):
            quotes = find_quotes(self.masked, pa, pb)
            para_sents = []
            while si < len(sents) and sents[si][0] < pb:
                if sents[si][0] >= pa:
                    para_sents.append(sents[si])
                si += 1
            # an unclosed quotation only spans its own sentence unless the paragraph opens with it
            if quotes and quotes[-1][1] == pb and self.masked[pb - 1] not in "\"»”“'’":
                qa, qb = quotes[-1]
                if self.masked[pa:qa].strip():
                    own = next((s for s in reversed(para_sents) if s[0] <= qa < s[1]), None)
                    if own:
                        quotes[-1] = (qa, own[1])
            starts = [q[0] for q in quotes]
            cur: Unit | None = None
            for s in para_sents:
                joined = False
                if cur is not None and quotes:
                    i = bisect.bisect_left(starts, cur.end) - 1
                    joined = i >= 0 and quotes[i][1] > s[0]
                if joined and cur is not None and s[1] - cur.start <= MAX_UNIT_CHARS:
                    cur.end = s[1]
                    cur.sentences.append(s)
                else:
                    cur = Unit(s[0], s[1], [s])
                    out.append((cur, quotes))
            if quotes:
                # give each unit only the quotations it overlaps
                for k in range(len(out) - 1, -1, -1):
                    unit, qs = out[k]
                    if qs is not quotes:
                        break
                    lo = bisect.bisect_left(starts, unit.start) - 1
                    hi = bisect.bisect_left(starts, unit.end)
                    out[k] = (
                        unit,
                        [q for q in quotes[max(lo, 0) : hi] if q[0] < unit.end and q[1] > unit.start],
                    )
        return out

    def scan(self, unit: Unit) -> tuple[bool, bool]:
        """Cheap look at the unit's words: (has a reporting verb or "according to", has a word sequence
        that can end the name of a tracked speaker)."""
        words = scan_words(self.lowered, unit.start, unit.end, lowered=self.lowered is not self.folded)
        has_trig = not self.reg.triggers.isdisjoint(words)
        if not self.reg.tracked_last.isdisjoint(words) and not self.reg.tracked_keys.isdisjoint(
            ngrams(words, 3, self.reg.tracked_last)
        ):
            return has_trig, True
        # "..., May said": the surname of someone named in full earlier in the text
        return has_trig, bool(self.doc_persons) and not self.reg.doc_only_words.isdisjoint(words)

    def note_persons(self, unit: Unit) -> None:
        """Remember people named in full in a unit without speech (their surnames may follow alone)."""
        firsts = self.reg.person_first_tokens
        if not any(w.lower() in firsts for w in _WORDS.findall(self.folded, unit.start, unit.end)):
            return
        view = tokenize(self.masked, unit.start, unit.end, folded=self.folded)
        for _a, _b, m, _c in self.mentions(view):
            if m.kind == "person" and m.full and len(m.persons) == 1:
                self.doc_persons.add(m.persons[0])

    # --- view and mentions ------------------------------------------------------------------------
    def view(self, unit: Unit, quotes: list[tuple[int, int]]) -> tuple[list[Token], list[tuple[int, int]]]:
        """Tokens of the unit outside quotations; each quotation becomes one placeholder token."""
        qs = [(a, b) for a, b in quotes if a < unit.end and b > unit.start]
        view: list[Token] = []
        pos = unit.start
        for a, b in qs:
            if a > pos:
                view.extend(tokenize(self.masked, pos, a, folded=self.folded))
            view.append(Token(max(a, unit.start), min(b, unit.end), QUOTE, QUOTE))
            pos = max(pos, b)
        if pos < unit.end:
            view.extend(tokenize(self.masked, pos, unit.end, folded=self.folded))
        return view, qs

    def mentions(self, view: list[Token]) -> list[tuple[int, int, Mention, str]]:
        """Registry phrases in the view: longest first, no overlaps, in text order."""
        idx = self.reg.index
        cache = idx._key_cache
        cands = []
        for i, tok in enumerate(view):
            if cache.get(tok.low, True) == []:
                continue  # known not to begin any phrase
            m = idx.match_at(view, i)
            if m:
                mm = m[1]
                if mm.doc_only and not self._doc_only_ok(view, i, i + m[0], mm):
                    continue
                if mm.kind in _ORG_KINDS and self.reg.is_tracked(mm.speaker) and self._foreign(view, i, i + m[0]):
                    mm = Mention("org", speaker="foreign-ministries", gender=mm.gender)
                cands.append((i, i + m[0], mm, m[2]))
        if len(cands) > 1:
            # longest first; at equal length a body or title before an anaphor ("The U.K. government":
            # "UK government", not "the UK")
            cands.sort(key=lambda c: (c[0] - c[1], c[2].kind == "anaphor", c[0]))
            taken: set[int] = set()
            kept = []
            for c in cands:
                if not any(k in taken for k in range(c[0], c[1])):
                    kept.append(c)
                    taken.update(range(c[0], c[1]))
            cands = sorted(kept)
        return cands

    def _foreign(self, view: list[Token], a: int, b: int) -> bool:
        """Does a country qualifier make a generic body name another country's ("Germany's Foreign
        Office", "the German Defence Ministry", "المفوضية العليا لحقوق الإنسان في العراق")?"""
        lex = self.lex
        if not view[a].ar:
            if a >= 1 and view[a - 1].low in lex.en_foreign_adjs:
                return True
            return a >= 2 and view[a - 1].low == "'s" and view[a - 2].low in lex.en_foreign_countries
        if b >= len(view) or any(t.low in lex.ar_unmarked_ok for t in view[a:b]):
            return False
        nxt = view[b].low
        if nxt in lex.ar_foreign_adjs:
            return True
        if nxt == "في" and b + 1 < len(view):
            return view[b + 1].low in lex.ar_foreign_places
        return nxt.startswith("ب") and nxt[1:] in lex.ar_foreign_places

    def _doc_only_ok(self, view: list[Token], a: int, b: int, m: Mention) -> bool:
        """A bare surname derived from a full name ("May", "كوك"): only for someone already named in full
        in this text, and only right beside a reporting verb ("..., May said", "وأضاف كوك")."""
        if any(p not in m.doc_only for p in m.persons):
            return True
        if not any(p in self.doc_persons for p in m.persons):
            return False
        verbs = self.lex.verbs
        return (b < len(view) and view[b].low in verbs) or (a > 0 and view[a - 1].low in verbs)

    def _side(self, m: Mention) -> str:
        """'T:<id>' for a tracked body, 'O' for someone else, '' when neutral."""
        reg = self.reg
        if m.kind in _ORG_KINDS:
            return f"T:{m.speaker}" if reg.is_tracked(m.speaker) else "O"
        if m.kind == "person" and m.full:
            sides = set()
            for pid in m.persons:
                post = reg.persons[pid].post_on(self.day)
                sides.add(f"T:{post.speaker}" if post and reg.is_tracked(post.speaker) else "O")
            return sides.pop() if len(sides) == 1 else ""
        return ""

    def noun_phrases(self, view: list[Token], ments: list[tuple[int, int, Mention, str]]) -> dict[int, NP]:
        groups: list[list[tuple[int, int, Mention, str]]] = []
        sides: list[set[str]] = []
        for m in ments:
            side = self._side(m[2])
            prev_prefix = bool(groups) and groups[-1][-1][2].kind == "prefix"
            if groups and (not m[3] or (prev_prefix and m[3] in ("ل", "ب"))):
                prev = groups[-1][-1]
                gap = view[prev[1] : m[0]]
                ok = (
                    len(gap) <= 2
                    and all(t.low in _JOIN_GAP or self._alias_quote(t, sides[-1]) for t in gap)
                    and not (m[2].kind == "anaphor" and gap)
                )
                if (
                    not ok
                    and m[2].kind == "person"
                    and m[2].full
                    and side.startswith("T:")
                    and side in sides[-1]
                    and prev[2].kind == "title"
                    and 0 < len(gap) <= 4
                    and _post_specifier(gap)
                    and all(t.low.isalpha() and t.low not in self.lex.verbs for t in gap)
                ):
                    # "مساعدة وزير الخارجية الأمريكي للشؤون الأوروبية فيكتوريا نولاند", "Assistant Secretary
                    # of State for European Affairs Victoria Nuland": the named holder of that post
                    ok = True
                if ok and gap and any(t.low in (",", "،") for t in gap) and side:
                    # across a comma only an apposition of the same speaker
                    other = {x for x in sides[-1] if x}
                    ok = not other or other == {side}
                if ok:
                    groups[-1].append(m)
                    sides[-1].add(side)
                    continue
            groups.append([m])
            sides.append({side})
        nps: dict[int, NP] = {}
        for g in groups:
            np_ = self.resolve_group(view, [(a, b, mm) for a, b, mm, _ in g])
            if np_ is not None:
                np_.clitic = g[0][3]
                if (
                    np_.j < len(view)
                    and view[np_.j].low == ")"
                    and any(t.low == "(" for t in view[np_.i : np_.j])
                ):
                    np_.j += 1
                nps[np_.i] = np_
        return nps

    def _alias_quote(self, tok: Token, sides: set[str]) -> bool:
        """A quoted alias of the body just named: 'وزارة الدفاع الأمريكية «البنتاجون» الكابتن X'."""
        if tok.low != QUOTE:
            return False
        sp = self.reg.resolve(self.text[tok.start + 1 : tok.end - 1])
        return sp is not None and f"T:{sp}" in sides

    def _org_gender(self, view: list[Token], i: int, m: Mention) -> str:
        if m.gender:
            return m.gender
        tok = view[i]
        if not _is_ar(tok):
            return "n"
        w = tok.low
        return "f" if w.endswith("ه") or w.endswith("ات") else "m"

    def resolve_group(self, view: list[Token], g: list[tuple[int, int, Mention]]) -> NP | None:
        reg = self.reg
        i, j = g[0][0], g[-1][1]
        core = [(a, b, m) for a, b, m in g if m.kind != "honorific"]
        if not core:
            return None
        tracked_sp: list[str] = []
        other_sp: list[str] = []
        genders: set[str] = set()
        prefix = None
        suffix = None
        role = ""
        soft = False
        title_roles: list[tuple[str, str]] = []
        person_ms: list[Mention] = []
        anaphors: list[Mention] = []
        for a, _b, m in core:
            if m.kind == "prefix":
                prefix = m
            elif m.kind in _ORG_KINDS:
                if reg.is_tracked(m.speaker):
                    tracked_sp.append(m.speaker)
                    if m.kind == "title":
                        title_roles.append((m.speaker, m.role))
                        role = role or m.role
                    soft = soft or m.soft
                else:
                    other_sp.append(m.speaker)
                genders.add(self._org_gender(view, a, m))
            elif m.kind == "suffix":
                role = m.role
                suffix = m
                if m.gender:
                    genders.add(m.gender)
            elif m.kind == "person":
                person_ms.append(m)
            elif m.kind == "anaphor":
                anaphors.append(m)
        if prefix is not None:
            role = "spokesperson"
            genders = genders | ({prefix.gender} if prefix.gender else set())

        former = any(view[k].low in _FORMER for k in (i - 1, j) if 0 <= k < len(view))
        former = former or any(view[k].low in _FORMER for k in range(i, j))

        person = None
        person_speaker = None
        person_gender = ""
        for pm in person_ms:
            cand = self.pick_person(pm, tracked_sp, prefix is not None or role == "spokesperson")
            if cand:
                person, person_speaker = cand
                p = reg.persons[person]
                person_gender = p.gender
                break

        if former:
            return NP(i, j, "other", genders=frozenset(genders))

        if person is not None:
            if person_speaker and reg.is_tracked(person_speaker):
                speaker = person_speaker
                full = any(pm.full and person in pm.persons for pm in person_ms)
                if tracked_sp and speaker not in tracked_sp and not full:
                    speaker = tracked_sp[0]  # a bare surname that does not fit the title: trust the title
                pers_out: str | None = person
                post = reg.persons[person].post_on(self.day)
                spokes = prefix is not None or (suffix is not None and suffix.role == "spokesperson")
                if spokes and post is not None and post.role != "spokesperson":
                    pers_out = None  # "a spokesman for <the minister>", "May's spokesman": not the minister
                gs = {person_gender} if person_gender and prefix is None else genders | {person_gender}
                if prefix is not None:
                    gs |= genders
                self.doc_persons.add(person)
                return NP(
                    i,
                    j,
                    "tracked",
                    speaker,
                    pers_out,
                    frozenset(g for g in gs if g is not None),
                    soft=soft and not title_roles,
                    personlike=True,
                )
            if tracked_sp and not person_ms[0].full:
                pass  # a bare surname that does not fit: rely on the title
            else:
                self.doc_persons.add(person)
                return NP(i, j, "other", person_speaker, person, frozenset({person_gender}), personlike=True)

        if tracked_sp:
            if len(set(tracked_sp)) > 1:
                return NP(i, j, "other", genders=frozenset(genders))
            if other_sp:
                first = (
                    core[0][2]
                    if core[0][2].kind != "prefix"
                    else (core[1][2] if len(core) > 1 else core[0][2])
                )
                if first.kind in _ORG_KINDS and not reg.is_tracked(first.speaker):
                    return NP(i, j, "other", first.speaker, genders=frozenset(genders))
            speaker = tracked_sp[0]
            holder = None
            if prefix is None:
                for sp, r in title_roles:
                    holder = reg.holder(sp, r, self.day)
                    if holder:
                        break
            if holder:
                p = reg.persons[holder]
                self.doc_persons.add(holder)
                gs = {p.gender} | ({g for g in genders if g != "n"} if _is_ar(view[i]) else set())
                return NP(i, j, "tracked", speaker, holder, frozenset(gs), soft=soft, personlike=True)
            return NP(
                i,
                j,
                "tracked",
                speaker,
                None,
                frozenset(genders or {""}),
                soft=soft,
                personlike=bool(title_roles) or prefix is not None,
            )
        if other_sp:
            return NP(i, j, "other", other_sp[0], genders=frozenset(genders))
        if anaphors:
            a = anaphors[0]
            if prefix is not None:
                # "المتحدث باسم الوزارة": the body is the anaphor, the speaker is its spokesperson
                return NP(i, j, "anaphor", genders=frozenset(genders), refers=a.refers, personlike=True)
            return NP(
                i,
                j,
                "anaphor",
                genders=frozenset({a.gender}),
                refers=a.refers,
                personlike=a.gender != "" and "any" not in a.refers,
            )
        return None

    def pick_person(self, m: Mention, tracked_sp: list[str], spokes: bool) -> tuple[str, str | None] | None:
        reg = self.reg
        opts = []
        for pid in m.persons:
            p = reg.persons.get(pid)
            if p is None:
                continue
            post = p.post_on(self.day)
            fits_title = post is not None and post.speaker in tracked_sp
            alone = (p.surname_alone_ar and post is not None) if self.lang == "ar" else p.surname_alone
            if not m.full and pid in m.doc_only and pid not in self.doc_persons:
                continue
            if not m.full and not (alone or pid in self.doc_persons or fits_title):
                continue
            score = 0
            if post is not None:
                score += 1
            if fits_title:
                score += 4
                if spokes and post is not None and post.role == "spokesperson":
                    score += 2
                if not spokes and post is not None and post.role != "spokesperson":
                    score += 1
            if pid in self.doc_persons:
                score += 2
            opts.append((score, pid, post.speaker if post else None))
        if not opts:
            return None
        opts.sort(key=lambda x: -x[0])
        return opts[0][1], opts[0][2]

    # --- verbs and subjects -----------------------------------------------------------------------
    def pairs(self, view: list[Token], nps: dict[int, NP]) -> list[Pair]:
        lex = self.lex
        covered = set()
        ends: dict[int, NP] = {}
        for np_ in nps.values():
            covered.update(range(np_.i, np_.j))
            ends[np_.j] = np_
        out: list[Pair] = []
        participles: list[Pair] = []
        n = len(view)
        first = nps.get(0)
        if first is not None and first.j < n and view[first.j].low == ":" and first.status != "anaphor":
            out.append(Pair(first.j, "colon", Subject("np", first)))  # headline "بلينكن: ..."
        for k, tok in enumerate(view):
            if k in covered or tok.low == QUOTE:
                continue
            low = tok.low
            if _is_ar(tok):
                if low in _AR_ACCORDING:
                    np_ = self._np_after(view, nps, k + 1, _AR_SOURCE_SKIP)
                    if np_ is not None:
                        out.append(Pair(k, "according", Subject("np", np_)))
                    continue
                if low in ("جاء", "وجاء") and k + 1 < n and view[k + 1].low == "في":
                    # "وجاء في بيان للخارجية البريطانية أن ..." / "وجاء في البيان أن ..."
                    np_ = self._np_after(view, nps, k + 2, _AR_SOURCE_SKIP | _AR_SOURCE_NOUNS)
                    if np_ is not None:
                        out.append(Pair(k, "past", Subject("np", np_)))
                    continue
                if low in _AR_QUOTED:  # "ونقلت وكالة رويترز عن مسؤول في الخارجية الأمريكية قوله"
                    subj = Subject("unknown")  # without "عن X": someone else passes words on
                    for q in range(k + 1, min(n, k + 10)):
                        if view[q].low == QUOTE and q + 1 < n and view[q + 1].low == "عن":
                            continue  # a quoted agency name: 'ونقلت وكالة "رويترز" عن ...'
                        if view[q].low in ("عن", QUOTE, ":") or view[q].low in self.lex.ar_complementizers:
                            np_ = nps.get(q + 1) if view[q].low == "عن" else None
                            if np_ is not None:
                                subj = Subject("np", np_)
                            break
                    out.append(Pair(k, "past", subj))
                    continue
                v = lex.verbs.get(low)
                if v is None:
                    continue
                gender, kind = v
                if kind == "participle":
                    participles.append(Pair(k, kind, Subject("pronoun", gender=gender)))
                    continue
                if kind == "masdar":
                    subj = self._ar_masdar_subject(view, nps, k, low)
                    if subj is not None:
                        out.append(Pair(k, kind, subj))
                    continue
                if kind == "weak":
                    # "قدمت الخارجية تعازيها", "نشرت الوزارة بيانا" (not "نشرت الوزارة مدمرات": an action)
                    np_ = nps.get(k + 1)
                    if (
                        np_ is not None
                        and np_.status == "tracked"
                        and not np_.clitic
                        and self._speech_object(view, np_.j)
                    ):
                        out.append(Pair(k, "past", Subject("np", np_, gender)))
                    continue
                subj = self._ar_subject(view, nps, ends, k, gender, kind)
                if kind == "imperfect" and not (
                    subj.kind == "np" and subj.np is not None and (subj.np.j <= k or k == 0)
                ):
                    continue  # present tense: "<speaker> <verb>" headlines, or a sentence opening "ويقول X"
                out.append(Pair(k, kind, subj))
            else:
                if low == "according" and k + 1 < n and view[k + 1].low == "to":
                    np_ = self._np_after(view, nps, k + 2, _EN_SOURCE_SKIP)
                    if np_ is not None:
                        out.append(Pair(k, "according", Subject("np", np_)))
                    continue
                if low == "quoted":  # "Reuters quoted a Pentagon spokesman as saying ..."
                    if k >= 2 and view[k - 1].low in ("was", "were") and (k - 1) in ends:
                        out.append(Pair(k, "en", Subject("np", ends[k - 1])))  # "X was quoted as saying"
                        continue
                    np_ = self._np_after(view, nps, k + 1, _EN_SOURCE_SKIP)
                    if np_ is not None:
                        out.append(Pair(k, "en", Subject("np", np_)))
                    continue
                if low in _EN_ISSUE and any(t.low in ("statement", "statements") for t in view[k + 1 : k + 4]):
                    # "the Defense Department later issued a statement saying ..." (not "issued guidance")
                    subj = self._en_subject(view, nps, ends, k)
                    if subj is not None and subj.kind == "np" and subj.np and subj.np.status == "tracked":
                        out.append(Pair(k, "en", subj))
                    elif subj is not None and (subj.kind == "unknown" or (subj.np and subj.np.status == "other")):
                        out.append(Pair(k, "weak-other", Subject("unknown")))
                    continue
                v = lex.verbs.get(low)
                if v is None or v[1] != "en" or low in lex.en_participles:
                    if v is not None and low in lex.en_participles:
                        participles.append(Pair(k, "participle", Subject("pronoun")))
                    continue
                if low in ("called", "calls", "call") and not (
                    k + 1 < n
                    and (
                        view[k + 1].low in ("on", "for", "upon")
                        or _quote_before_break(view, k + 1, k + 9)
                    )
                ):
                    continue  # "Blinken called his Turkish counterpart": a phone call, not a statement
                if k > 0 and view[k - 1].low in ("who", "which", "whom"):
                    continue  # "an official who said ...": embedded speech, not the sentence's speaker
                subj = self._en_subject(view, nps, ends, k)
                if subj is None:
                    continue
                if low in lex.en_weak and not (subj.kind == "np" and subj.np and subj.np.status == "tracked"):
                    if subj.kind == "unknown" or (
                        subj.kind == "np" and subj.np and subj.np.status == "other"
                    ):
                        out.append(
                            Pair(k, "weak-other", Subject("unknown"))
                        )  # someone else acts: a new topic
                    continue
                out.append(Pair(k, "en", subj))
        if not out and participles and participles[0].k <= 2:
            out.append(participles[0])
        return out

    def _speech_object(self, view: list[Token], j: int) -> bool:
        """Is there a word of speech (statement, condolences, letter, criticism ...) or a quotation
        among the few words after ``j``?"""
        stems = self.lex.ar_speech_objects
        for t in view[j : j + 5]:
            if t.low == QUOTE:
                return True
            w = t.low
            if w.startswith(stems):
                return True
            for pre in ("وبال", "بال", "وال", "ال", "وب", "ب", "و"):
                if w.startswith(pre) and len(w) > len(pre) + 2 and w[len(pre) :].startswith(stems):
                    return True
        return False

    def _np_after(self, view: list[Token], nps: dict[int, NP], j: int, skip: frozenset[str]) -> NP | None:
        """The noun phrase at ``j``, after at most four skippable words ("a statement from the ..."); in
        English also after capitalised title words when it names a person ("according to Foreign
        Secretary Boris Johnson")."""
        caps = skipped = 0
        for q in range(j, min(len(view), j + 8)):
            if q in nps:
                np_ = nps[q]
                if caps and np_.person is None:
                    return None
                return np_
            tok = view[q]
            if tok.low in skip and skipped < 4:
                skipped += 1
                continue
            if caps < 3 and not tok.ar and tok.case[:1].isupper() and tok.low.isalpha():
                caps += 1
                continue
            return None
        return None

    def _ar_masdar_subject(self, view: list[Token], nps: dict[int, NP], k: int, low: str) -> Subject | None:
        j = k + 1
        skipped = 0
        while j < len(view) and j not in nps and view[j].low in _AR_MASDAR_SKIP and skipped < 3:
            j += 1
            skipped += 1
        np_ = nps.get(j)
        if np_ is None:
            return None
        base = (
            low[1:] if low.startswith(("ب", "و")) and low[1:] in _AR_NEEDS_COMP | {"بيان", "تغريده"} else low
        )
        if base in _AR_NEEDS_COMP:
            comp = self.lex.ar_complementizers
            if not any(t.low in comp or t.low == QUOTE for t in view[np_.j : np_.j + 12]):
                return None
        return Subject("np", np_)

    def _ar_subject(
        self, view: list[Token], nps: dict[int, NP], ends: dict[int, NP], k: int, gender: str, kind: str
    ) -> Subject:
        lex = self.lex
        n = len(view)
        j = k + 1
        vs: Subject | None = None
        if j < n and j in nps and nps[j].clitic[:1] not in ("ب", "ل", "ك"):
            vs = Subject("np", nps[j], gender)
            if nps[j].status == "anaphor" and self._name_follows(view, nps[j].j):
                # "وقال وزير الخارجية عادل الجبير": someone else, unless a long title ends in a tracked name
                vs = self._appositive(view, nps, j + 1, gender)
        elif j < n and j in nps:
            vs = Subject("unknown", gender=gender)
        elif (
            j < n
            and view[j].low in _AR_SOURCE_NOUNS
            and (src := self._np_after(view, nps, j + 1, _AR_SOURCE_SKIP))
        ):
            vs = Subject("np", src, gender)  # "وأشار تقرير للخارجية الأمريكية إلى ..."
        elif j >= n or view[j].low in lex.ar_no_subject or view[j].low == QUOTE or not _is_ar(view[j]):
            jj = j
            steps = 0
            while jj < n and steps < 5 and view[jj].low in lex.ar_fillers and jj not in nps:
                jj += 1
                steps += 1
            if jj < n and jj in nps and steps and nps[jj].status != "anaphor":
                vs = Subject("np", nps[jj], gender)
            else:
                vs = Subject("pronoun", gender=gender)
        else:
            vs = self._appositive(view, nps, j, gender)
        # subject before the verb ("وكان كيري قال", "البنتاغون يشكك", "X، الذي علق")
        if vs.kind != "np" or kind == "imperfect":
            b = k
            steps = 0
            while b - 1 >= 0 and steps < 3 and view[b - 1].low in _AR_SV_GAP and b not in ends:
                b -= 1
                steps += 1
            if b in ends and (kind != "imperfect" or vs.kind != "np"):
                return Subject("np", ends[b], gender)
            if vs.kind == "pronoun" and self._kana_subject(view, nps, k):
                return Subject("unknown", gender=gender)  # "وكان الجيش الكوري قد أعلن": someone else
        return vs

    def _while_cut(self, view: list[Token], start: int, floor: int) -> int | None:
        """The first word of a ", while"/"، بينما" clause that ends at ``start`` (None without one)."""
        for q in range(start - 1, floor, -1):
            low = view[q].low
            if low in ("،", ",", "؛", ";", QUOTE):
                if low != QUOTE and q + 1 < start and view[q + 1].low in _WHILE_WORDS:
                    return q + 1
                return None
        return None

    def _kana_subject(self, view: list[Token], nps: dict[int, NP], k: int) -> bool:
        """Pluperfect "وكان <words> (قد) <verb>" whose subject words name no registry phrase."""
        if k < 2:
            return False
        e = k - 1 if view[k - 1].low == "قد" else k  # the subject words end before "قد" (if any)
        for c in range(e - 1, max(-1, e - 8), -1):
            low = view[c].low
            if low in _AR_KANA:
                clause_initial = c == 0 or view[c - 1].low in ("،", ",", "؛", ";", ".", ":")
                return (
                    (e < k or clause_initial)
                    and c < e - 1
                    and not any(q in nps for q in range(c + 1, e))
                )
            if not _is_ar(view[c]) or low in self.lex.ar_complementizers or low in _AR_SV_GAP:
                return False
        return False

    def _name_follows(self, view: list[Token], j: int) -> bool:
        """Does an unknown word (most likely a name) follow position ``j``?"""
        if j >= len(view):
            return False
        tok = view[j]
        low = tok.low
        lex = self.lex
        if not _is_ar(tok):
            return bool(tok.case[:1].isupper()) and low not in lex.en_fillers and low not in lex.verbs
        return not (
            low in lex.ar_no_subject
            or low in lex.ar_fillers
            or low in lex.ar_complementizers
            or low in lex.verbs
            or low in _AR_SOURCE_NOUNS
        )

    def _title_gap(self, view: list[Token], a: int, b: int, limit: int) -> bool:
        """Words between the verb and a name that can only be a post ("المبعوث الأمريكي الخاص إلى سوريا"),
        not a clause making the name an object ("بعد لقائه", "الذي التقى")."""
        if b - a > limit:
            return False
        return not any(view[r].low in _AR_OBJECT_GAP or view[r].low in self.lex.verbs for r in range(a, b))

    def _venue_then_comp(self, view: list[Token], q: int) -> bool:
        """'... جيمس جيفري في إفادة صحفية إن': where the words were said, then the complementizer."""
        if view[q].low not in ("في", "خلال"):
            return False
        for r in range(q + 1, min(len(view), q + 5)):
            low = view[r].low
            if low in self.lex.ar_complementizers:
                return r > q + 1
            if low not in _AR_VENUE:
                return False
        return False

    def _appositive(self, view: list[Token], nps: dict[int, NP], j: int, gender: str) -> Subject:
        """'قال محمد النسور، مدير مكتب ... في مفوضية ...': an unknown name, a comma, a post at a body."""
        comp = self.lex.ar_complementizers
        saw_comma = False
        for jj in range(j, min(len(view), j + 16)):
            low = view[jj].low
            if low in comp or low == QUOTE:
                break
            if low in ("،", ","):
                saw_comma = True
            np_ = nps.get(jj)
            if np_ is not None:
                if (
                    np_.status == "tracked"
                    and np_.person is not None
                    and self.reg.persons[np_.person].post_on(self.day) is not None
                    and np_.j < len(view)
                    and (
                        (view[np_.j].low in (",", "،", *comp) and self._title_gap(view, j, np_.i, 16))
                        or (self._venue_then_comp(view, np_.j) and self._title_gap(view, j, np_.i, 6))
                    )
                ):
                    return Subject(
                        "np", np_, gender
                    )  # "المسؤول الإداري ... في الحكومة البريطانية مارك لوكوك، أن"
                if saw_comma and np_.status == "tracked" and jj > j + 1:
                    prev = view[jj - 1].low
                    if prev in ("في", "لدى", "ب", "باسم") or view[jj].low.startswith(("ب", "ل")):
                        return Subject(
                            "np", NP(np_.i, np_.j, "tracked", np_.speaker, None, np_.genders), gender
                        )
                if np_.status == "anaphor" and saw_comma:
                    continue  # "X، المسؤول في وزارة الخارجية الأمريكية، ...": the post goes on
                if np_.status != "tracked":
                    break
        return Subject("unknown", gender=gender)

    def _en_subject(
        self, view: list[Token], nps: dict[int, NP], ends: dict[int, NP], k: int
    ) -> Subject | None:
        lex = self.lex
        b = k
        steps = 0
        while (
            b - 1 >= 0
            and steps < 5
            and b not in ends
            and (
                view[b - 1].low in lex.en_fillers
                or (view[b - 1].low.endswith("ly") and len(view[b - 1].low) > 3)
            )
        ):
            b -= 1
            steps += 1
        if b in ends:
            return Subject("np", ends[b])
        if b - 1 >= 0 and b - 2 >= 0 and (b - 1) not in ends and view[b - 1].case[:1].isupper():
            # "the minister Sergei Shoigu said": an anaphor followed by an unknown name is someone else
            for e, np_ in ends.items():
                if np_.status == "anaphor" and e <= b - 1 and all(t.case[:1].isupper() for t in view[e:b]):
                    return Subject("unknown")
        if b - 1 >= 0:
            prev = view[b - 1].low
            if prev in lex.en_pronouns:
                return Subject("pronoun", gender=lex.en_pronouns[prev])
            if prev == ",":
                nx = k + 2 if k + 2 < len(view) and view[k + 1].low in ("a", "an", "the") else k + 1
                after = nps.get(nx)
                # '..., said the Pentagon.' (not '..., said the office was concerned')
                said_x = after is not None and (
                    after.j >= len(view) or view[after.j].low in _AFTER_SAID_X or not view[after.j].low.isalpha()
                )
                np_ = ends.get(b - 1)
                if np_ is not None and not said_x and _clause_initial(view, np_.i):
                    # "Ned Price, the State Department spokesman, said" / "a spokesman for the UN human
                    # rights office, Rupert Colville, said": an apposition closes before the verb
                    o = np_.i
                    while o > 0 and view[o - 1].low in ("the", "a", "an"):
                        o -= 1
                    head = ends.get(o - 1) if o > 0 and view[o - 1].low == "," else None
                    if head is not None and (
                        head.status == "other"
                        or (head.status == "tracked" and head.speaker == np_.speaker and head.person)
                    ):
                        # "Sergei Lavrov, the ..., said", "Liz Throssell, a UN human rights spokeswoman,
                        # said": the head decides (and names the person)
                        return Subject("np", head)
                    return Subject("np", np_)
                # "X, who declined to be identified, said" / "X, speaking in Moscow, warned" (not when a
                # phrase before the comma is followed by "said X": '..., said the Pentagon')
                aside_from = max(-1, b - 30) if (np_ is None or not said_x) else b - 2
                for p in range(b - 2, aside_from, -1):
                    if view[p].low == QUOTE:
                        break
                    if view[p].low == "," and p in ends:
                        return Subject("np", ends[p])
                    if view[p].low == ",":
                        if p >= 1 and view[p - 1].case[:1].isupper() and view[p - 1].low != QUOTE:
                            return Subject("unknown")  # "Zelenskiy, speaking in Kyiv, thanked ..."
                        break
        # "said X" after a quotation or a comma
        before = view[k - 1].low if k > 0 else ""
        if k == 0 or before in (",", QUOTE, ":") or view[k - 1].low == QUOTE:
            j = k + 1
            if j + 1 < len(view) and view[j].low in ("a", "an", "the") and j + 1 in nps:
                j += 1  # '"...," said a State Department spokesperson'
            if j < len(view) and j in nps:
                return Subject("np", nps[j])
            if j < len(view) and view[j].low in lex.en_pronouns:
                return Subject("pronoun", gender=lex.en_pronouns[view[j].low])
            if k == 0:
                return None
        if b - 1 >= 0 and view[b - 1].low not in (",", QUOTE, ":", "-", "(", ")"):
            return Subject("unknown")
        return None

    # --- attribution ------------------------------------------------------------------------------
    def resolve(self, subj: Subject, local: Context | None) -> Context | None:
        """The speaker a subject stands for, or None to abstain (unknown or unresolved)."""
        if subj.kind == "unknown":
            return Context(None, False, None, frozenset({subj.gender}))
        if subj.kind == "np" and subj.np is not None:
            np_ = subj.np
            if np_.status == "tracked":
                gs = set(np_.genders)
                if subj.gender in ("m", "f") and np_.person is None:
                    gs.add(subj.gender)
                return Context(np_.speaker, True, np_.person, frozenset(gs))
            if np_.status == "other":
                return Context(np_.speaker, False, np_.person, np_.genders)
            c = local or self.ctx
            if c is None or c.age > MAX_CONTEXT_AGE:
                return None
            if "any" not in np_.refers and (c.speaker is None or c.speaker not in np_.refers):
                return None
            ag = next(iter(np_.genders)) if len(np_.genders) == 1 else ""
            if ag in ("m", "f") and c.genders and ag not in c.genders and "" not in c.genders:
                return None
            person = c.person if np_.personlike else None
            return Context(c.speaker, c.tracked, person, c.genders | ({ag} if ag else set()))
        # pronoun: only right after the speaker (at most one sentence without speech in between)
        c = local or self.ctx
        if c is None or c.age > (MAX_PRONOUN_AGE if self.lang == "en" else MAX_PRONOUN_AGE_AR):
            return None
        if c.age and not c.pronoun_ok and local is None:
            return None
        g = subj.gender
        if g == "p":
            return None
        if g in ("m", "f", "n") and c.genders and g not in c.genders and "" not in c.genders:
            return None
        return Context(c.speaker, c.tracked, c.person, c.genders)

    def attribute(
        self, view: list[Token], pairs: list[Pair], nps: dict[int, NP]
    ) -> list[tuple[int, Context | None]]:
        """Speakers for the unit: [(first view index of the clause, context or None)]."""
        if not pairs:
            return []
        lang_en = self.lang == "en"
        main_pairs = [p for p in pairs if p.verb_kind != "according"] or pairs
        if not lang_en and _elsewhere(view):
            # "وفي القاهرة، أدانت الخارجية ...": a bare anaphor after a new place is someone else
            main_pairs = [
                Pair(p.k, p.verb_kind, Subject("unknown", gender=p.subject.gender))
                if p.subject.kind == "np" and p.subject.np is not None and p.subject.np.status == "anaphor"
                else p
                for p in main_pairs
            ]
        chosen = main_pairs[0]
        local0 = None
        if (
            chosen.subject.kind == "pronoun"
            and chosen.k > 1
            and not lang_en
            and view
            and view[0].low not in _AR_NOT_VERBS
            and 1 in nps
            and not nps[1].clitic
            and nps[1].status in ("tracked", "other")
        ):
            # "ويحرص وزير الخارجية الأميركية على ...، وأكد ...": the sentence's subject speaks
            local0 = self.resolve(Subject("np", nps[1]), None)
        if (
            lang_en
            and local0 is None
            and chosen.subject.kind == "pronoun"
            and chosen.subject.gender == "n"
            and chosen.k >= 2
            and view[chosen.k - 1].low in self.lex.en_pronouns
        ):
            # "The UN human rights office has verified ..., though it says ...": "it" is the sentence's
            # subject when that is a tracked body and nobody else is named before the pronoun
            np0 = nps.get(0) or (nps.get(1) if view[0].low == "the" else None)
            if (
                np0 is not None
                and np0.status == "tracked"
                and np0.person is None
                and not any(np0.j <= q < chosen.k for q in nps)
                and any(t.low in (",", ";") for t in view[np0.j : chosen.k - 1])
            ):
                c0 = self.resolve(Subject("np", np0), None)
                if c0 is not None:
                    local0 = Context(c0.speaker, c0.tracked, c0.person, c0.genders | {"n"})
        first = self.resolve(chosen.subject, local0)
        if lang_en:
            n = len(view)
            for p in main_pairs:
                if p.k >= n - 10 and p.subject.kind in ("np", "pronoun"):
                    start = min(p.k, p.subject.np.i if p.subject.np else p.k)
                    if (
                        start > 0
                        and p.subject.kind == "pronoun"
                        and p.k > 0
                        and view[p.k - 1].low in self.lex.en_pronouns
                    ):
                        start = p.k - 1
                    while start > 0 and view[start - 1].low in ("the", "a", "an"):
                        start -= 1
                    # '"...," X said' / '..., said X' closes the sentence: X speaks for all of it
                    if start > 0 and view[start - 1].low in (",", QUOTE):
                        local = first if p is not chosen else None
                        return [(0, self.resolve(p.subject, local))]
        clauses = [(0, first)]
        local = first
        for p in main_pairs[1:]:
            if p.k <= chosen.k or p.verb_kind == "weak-other":
                continue
            c = self.resolve(p.subject, local)
            if c is None:
                continue
            if local is not None and (c.speaker == local.speaker and c.tracked == local.tracked):
                if not c.genders <= local.genders:
                    local = Context(local.speaker, local.tracked, local.person, local.genders | c.genders)
                    clauses[-1] = (clauses[-1][0], local)
            if p.subject.kind == "pronoun":
                continue
            if local is not None and (c.speaker == local.speaker and c.tracked == local.tracked):
                embedded = False
                if not lang_en:
                    # "قالت الوزارة إن الوزير X أخبر ...": X is only the topic of the reported speech
                    for q in range(chosen.k + 1, min(p.k, p.subject.np.i if p.subject.np is not None else p.k)):
                        low_q = view[q].low
                        if low_q in self.lex.ar_complementizers:
                            embedded = True
                        elif low_q in ("،", ",", "؛", ";"):
                            embedded = False
                if local.person is None and c.person is not None and c.tracked and not embedded:
                    # "a Pentagon spokesman denied ..., and Commander Sean Robertson said ...": named
                    local = Context(c.speaker, True, c.person, local.genders | c.genders)
                    clauses[-1] = (clauses[-1][0], local)
                elif chosen.subject.np is not None and chosen.subject.np.soft and c.person is not None:
                    # "the US ambassador announced ... with Secretary Pompeo, who commented ...": the latter
                    local = Context(c.speaker, c.tracked, c.person, c.genders)
                    clauses[-1] = (clauses[-1][0], local)
                elif (
                    local.person is not None
                    and c.person is not None
                    and c.person != local.person
                    and not embedded
                    and p.subject.np is not None
                ):
                    # "X said ..., while Y (same body, another person) told ...": Y's own clause
                    cut = self._while_cut(view, p.subject.np.i if p.subject.np.j <= p.k else p.k, chosen.k)
                    if cut is not None and cut > clauses[-1][0]:
                        clauses.append((cut, c))
                        local = c
                continue
            # a different explicit speaker: cut at the last comma before its clause
            start = p.subject.np.i if (p.subject.np is not None and p.subject.np.j <= p.k) else p.k
            cut = None
            for q in range(start - 1, max(chosen.k, clauses[-1][0]), -1):
                if view[q].low in ("،", ",", "؛", ";"):
                    cut = q + 1
                    break
                if view[q].low == QUOTE:
                    break
            if cut is None or (
                start - cut > 3 and view[cut].low not in self.lex.ar_connectors and view[cut].low not in _EN_WHILE
            ):
                continue
            clauses.append((cut, c))
            local = c
        return clauses


_LABEL_BEFORE = frozenset(
    [
        "ل",
        "طراز",
        "اسم",
        "باسم",
        "مسمي",
        "عمليه",
        "لعمليه",
        "مبادره",
        "تطلق",
        "يطلق",
        "المسماه",
        "المسمي",
        "المعروفه",
        "المعروف",
        "لصحيفه",
        "صحيفه",
        "وكاله",
        "لوكاله",
        "قناه",
        "لقناه",
        "موقع",
        "لموقع",
        "برنامج",
        "لبرنامج",
        "وفق",
        "حسب",
        "بحسب",
        "منصه",
        "شبكه",
        "لشبكه",
        "مجله",
        "لمجله",
        "تطبيق",
        "حساب",
        "تلفزيون",
        "لتلفزيون",
        "اذاعه",
        "لاذاعه",
        "newspaper",
        "agency",
        "channel",
        "program",
        "programme",
        "show",
        "magazine",
        "website",
        "platform",
        "app",
        "dubbed",
        "codenamed",
        "named",
        "operation",
        "exercise",
        "exercises",
        "drill",
        "drills",
        "wargame",
        "مناورات",
        "لمناورات",
        "مناوره",
        "المناوره",
        "تدريبات",
        "لتدريبات",
        "تمرين",
        "تمرينات",
    ]
)
# words before "لـ" that take a thing, not an addressee: 'تتعرض لـ"حملة إبادة"' quotes, 'قال لـ«عكاظ»' does not
_EN_NAME_LABELS = frozenset(["exercise", "exercises", "drill", "drills", "wargame"])
_AR_LI_THING = frozenset(
    """تتعرض يتعرض تعرض تعرضت يتعرضون تعرضوا ترقي يرقي ترقى يرقى رقت يصل تصل وصل وصلت يؤدي تؤدي ادي ادت
    تحول تحولت يتحول تتحول يدعو تدعو دعا دعت يسعي تسعي تمهد يمهد يخضع تخضع خضع""".split()
)


def _is_label(doc: _Doc, qa: int, qb: int) -> bool:
    """A short quoted name after "لـ"/"صحيفة"/"موقع" ... (a newspaper, a programme): not quoted speech."""
    inner = doc.masked[qa + 1 : qb - 1].split()
    if not inner or len(inner) > 3:
        return False
    before = doc.folded[max(0, qa - 20) : qa].replace(PLACEHOLDER, "").split()
    if not before or before[-1].lower() not in _LABEL_BEFORE:
        return False
    if before[-1] in _EN_NAME_LABELS:
        # 'the exercise "Northern Shield"' (a name), not 'called the exercise "a dangerous provocation"'
        return all(w[:1].isupper() for w in inner if w[:1].isalpha())
    if before[-1] != "ل":
        return True
    if len(before) >= 2 and before[-2] in _AR_LI_THING:
        return False
    # "لـ«الشرق الأوسط»، إن ...": the reporting clause goes on after a bare "لـ" + name
    after = doc.folded[qb : qb + 12].replace(PLACEHOLDER, "").split()
    return bool(after) and (
        after[0][:1] in ("،", ",", ":") or after[0] in ("ان", "إن", "أن", "انه", "إنه", "أنه")
    )


def _age(doc: _Doc, unit: Unit) -> None:
    """A unit without speech: the current speaker grows older.  In English a later bare "he said" may
    still refer to them only if this unit names that person again ("..., Howe was asked ...")."""
    ctx = doc.ctx
    if ctx is None:
        return
    ctx.age += len(unit.sentences)
    if doc.lang == "en" and ctx.pronoun_ok:
        person = doc.reg.persons.get(ctx.person or "")
        names = (
            {w.lower() for n in (person.surnames_en + person.names_en) for w in n.split()}
            if person
            else set()
        )
        ctx.pronoun_ok = bool(names) and not names.isdisjoint(
            scan_words(doc.lowered, unit.start, unit.end)[:25]
        )


def _outside_is_empty(text: str, unit: Unit, qs: list[tuple[int, int]]) -> bool:
    pos = unit.start
    for qa, qb in qs:
        if any(ch.isalnum() for ch in text[pos : max(pos, qa)]):
            return False
        pos = max(pos, qb)
    return not any(ch.isalnum() for ch in text[pos : unit.end])


def _extract(reg: Registry, text: str, lang: str, day: str) -> list[Statement]:
    doc = _Doc(reg, text, lang, day)
    out: list[Statement] = []
    prev_unit_statement: tuple[int, Context] | None = None
    unit_no = 0
    for unit, quotes in doc.units():
        unit_no += 1
        if unit.end - unit.start > MAX_UNIT_CHARS:
            doc.ctx = None
            continue
        qs = [(qa, qb) for qa, qb in quotes if qa < unit.end and qb > unit.start]
        pure_quote = bool(qs) and _outside_is_empty(doc.masked, unit, qs)
        clauses: list[tuple[int, Context | None]] = []
        if not pure_quote:
            has_trig, has_tracked = doc.scan(unit)
            if not has_trig and has_tracked and ":" in doc.masked[unit.start : unit.start + 60]:
                has_trig = True  # headline "بلينكن: ..."
            if not has_trig:
                if has_tracked:
                    doc.note_persons(unit)
                _age(doc, unit)
                continue
            if not has_tracked and (doc.ctx is None or not doc.ctx.tracked):
                # speech, but nobody from the registry and no tracked speaker to continue: not tracked
                doc.ctx = Context(None, False, None, frozenset())
                prev_unit_statement = None
                continue
        view, qs = doc.view(unit, quotes)
        if not pure_quote:
            ments = doc.mentions(view)
            nps = doc.noun_phrases(view, ments)
            prs = doc.pairs(view, nps)
            clauses = doc.attribute(view, prs, nps)
        elif prev_unit_statement is not None and prev_unit_statement[0] == unit_no - 1:
            clauses = [(0, prev_unit_statement[1])]
        if not clauses:
            _age(doc, unit)
            continue
        for ci, (vi, c) in enumerate(clauses):
            a = unit.start if vi == 0 else view[vi].start
            b = unit.end if ci + 1 >= len(clauses) else view[clauses[ci + 1][0] - 1].start
            if c is None:
                continue
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
                inner = [(qa, qb) for qa, qb in qs if qa < e2 and qb > s2 and not _is_label(doc, qa, qb)]
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
                        reaction=classify(
                            stext, lang, reg.lexicon, doc.lowered[s2:e2].replace(PLACEHOLDER, "")
                        ),
                    )
                )
        last = clauses[-1][1]
        if last is not None:
            doc.ctx = Context(last.speaker, last.tracked, last.person, last.genders, 0)
            ends_colon = doc.masked[unit.start : unit.end].rstrip().endswith(":")
            prev_unit_statement = (unit_no, last) if (last.tracked and (qs or ends_colon)) else None
        else:
            doc.ctx = None
            prev_unit_statement = None
    out.sort(key=lambda st: (st.start, st.end))
    return out


def extract(text: str, lang: str | None = None, published: str | _dt.date | None = None) -> list[Statement]:
    """Every statement by a tracked speaker in ``text`` (sorted by start).  Never raises."""
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8", errors="replace")
        if not isinstance(text, str) or not text.strip():
            return []
        if "\x00" in text:
            text = text.replace("\x00", " ")
        lang = lang if lang in ("ar", "en") else detect_language(text)
        reg = load_registry()
        return _extract(reg, text, lang, _day(published))
    except Exception:  # noqa: BLE001 - bad input must never take the caller down
        return []
