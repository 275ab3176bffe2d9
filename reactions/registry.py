"""The speaker registry (``speakers.toml``) and the extraction lexicon (``lexicon.toml``).

Both files are loaded with :mod:`tomllib`, validated (a broken file raises :class:`RegistryError`
naming the file, the entry and the problem) and compiled once into token-level phrase indexes.
"""

from __future__ import annotations

import datetime as _dt
import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from . import prebuilt
from .model import Person, Post, Speaker
from .text import fold, fold_keep_offsets, scan_words, tokenize

DATA_DIR = Path(__file__).resolve().parent
SPEAKERS_FILE = DATA_DIR / "speakers.toml"
LEXICON_FILE = DATA_DIR / "lexicon.toml"
CONSTRUCTIONS_FILE = DATA_DIR / "constructions.toml"
GENDERS = ("m", "f", "")
ARABIC_CLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك", "وال", "فال", "بال", "كال")


# name words never used as a derived surname (shared with many people, or common Arabic words)
_NOT_DERIVED = frozenset(
    ["Hussein", "Ahmad", "Ra'ad", "Ki-moon", "Wimbledon", "احمد", "رعد", "مون", "ترك", "الحسين"]
)


# words that open an English surname of two words ("Zeid Ra'ad Al Hussein": "Al Hussein said")
_SURNAME_PARTICLES = frozenset(["Al", "El", "al", "el", "bin", "ibn", "van", "von", "de", "da", "du", "der"])

_SPEAKER_KINDS = ("org", "title")


class RegistryError(ValueError):
    """The registry or lexicon file is missing, unreadable or inconsistent."""


@dataclass(frozen=True)
class Mention:
    """What a matched phrase means."""

    kind: str  # org | title | person | anaphor | prefix | suffix | honorific
    speaker: str = ""
    role: str = ""
    gender: str = ""
    soft: bool = False
    persons: tuple[str, ...] = ()
    full: bool = False  # person: full name (not a bare surname)
    refers: tuple[str, ...] = ()
    doc_only: tuple[str, ...] = ()  # persons for whom this bare surname counts only after their full name
    home: str = ""  # anaphor: the speaker it names when nobody is current, in a text about its country
    max_age: int = -1  # anaphor: sentences without speech after which it no longer refers (-1: default)
    body: bool = False  # anaphor: names a body ("الحكومة"), not a person: no person's gender to agree with
    sole: bool = False  # anaphor: with nobody current, the one body of ``refers`` the text names ("الولايات المتحدة")


TOLERANT_MIN_LEN = 5  # shorter Arabic words must be spelt as listed
_ONE_LETTER_CLITICS = ("و", "ف", "ب", "ل")


_VOWELS = "اوي"


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def spelling_variant(a: str, b: str, vowels: bool) -> bool:
    """Are a and b one Arabic spelling slip apart, inside the word (not at its first or last letter): two
    letters swapped ("وزراة"/"وزارة"), a letter doubled ("المتتحدث"), or, with ``vowels`` (names, whose
    transliteration varies), a long vowel added, dropped or changed ("برايان"/"براين")?  Other changes
    make other words, and in common words so do vowels ("الأمر"/"الأمير")."""
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            i = diff[0]
            return vowels and 0 < i < len(a) - 1 and a[i] in _VOWELS and b[i] in _VOWELS
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and 0 < diff[0]
            and diff[1] < len(a) - 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    if abs(len(a) - len(b)) != 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    for i in range(1, len(b) - 1):
        if b[:i] + b[i + 1 :] == a and ((vowels and b[i] in _VOWELS) or b[i] == b[i - 1] or b[i] == b[i + 1]):
            return True
    return False


@dataclass
class PhraseIndex:
    """Phrases as folded token sequences, indexed by their first (lower-case) token.

    :meth:`canonical` gives the registry's spelling of an Arabic word misspelt or spelt another way (see
    :func:`spelling_variant`: "وزراة", "المتتحدث") when exactly one word of the
    registry's longer phrases is that close: mentions match phrases through it, once per distinct word
    (cached; the words' one-letter deletions are indexed when phrases are added), and never take a phrase
    whose every word was respelt."""

    entries: dict[str, list[tuple[tuple[str, ...], bool, Mention]]] = field(default_factory=dict)
    max_len: int = 1
    _key_cache: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # per first token: its one-token phrases, and its longer phrases by their second token (lower case; a
    # phrase can only match where the next token's lower-case form is its second word's)
    _split: dict[str, tuple[list, dict[str, list]]] = field(default_factory=dict)
    _vocab: set[str] = field(default_factory=set)  # every Arabic word of a phrase
    # a word or one of its one-letter deletions -> the words of longer phrases naming tracked speakers
    _near: dict[str, set[str]] = field(default_factory=dict)
    _name_words: set[str] = field(default_factory=set)  # words of people's Arabic names
    _canon_cache: dict[str, str] = field(default_factory=dict)
    _alt_cache: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def alternates(self, word: str) -> tuple[str, ...]:
        """Other spellings, in people's names, of a name word that is itself listed ("برايان": "براين").
        Only name words have any, and only they are cached: the cache is as bounded as the registry (it kept
        every Arabic word a long-running process had read)."""
        if word not in self._name_words:
            return ()
        got = self._alt_cache.get(word)
        if got is None:
            got = ()
            if len(word) >= TOLERANT_MIN_LEN:
                near: set[str] = set()
                for key in _deletes(word) | {word}:
                    near |= self._near.get(key, set())
                got = tuple(
                    sorted(w for w in near if w in self._name_words and spelling_variant(word, w, True))
                )
            self._alt_cache[word] = got
        return got

    def canonical(self, word: str) -> str:
        """The registry's spelling of an Arabic ``word`` (with its one-letter proclitic) that is spelt
        another way than listed, or "" (spelt as listed, or no single registry word is that close)."""
        got = self._canon_cache.get(word)
        if got is not None:
            return got
        out = ""
        forms = [("", word)]
        if word[:1] in _ONE_LETTER_CLITICS:
            forms.append((word[:1], word[1:]))
        if not any(form in self._vocab for _, form in forms):
            for clitic, form in forms:
                if len(form) < TOLERANT_MIN_LEN:
                    continue
                near: set[str] = set()
                for key in _deletes(form) | {form}:
                    near |= self._near.get(key, set())
                near = {w for w in near if spelling_variant(form, w, w in self._name_words)}
                if len(near) == 1:
                    out = clitic + near.pop()
                    break
        if len(self._canon_cache) > 200_000:
            self._canon_cache.clear()
        self._canon_cache[word] = out
        return out

    def add(
        self, phrase: str, mention: Mention, case_sensitive: bool | str = False, tolerant: bool = False
    ) -> None:
        """``case_sensitive``: True (every token keeps its case), "acronym" (only tokens with two capitals,
        such as "UN" or "DoD", keep theirs) or False.  ``tolerant``: an Arabic phrase naming a tracked
        speaker, whose words :meth:`canonical` may find misspelt."""
        toks = tokenize(phrase)
        if not toks:
            return
        if case_sensitive == "acronym":
            seq = tuple(t.case if sum(c.isupper() for c in t.case) >= 2 else t.low for t in toks)
        else:
            seq = tuple(t.case if case_sensitive else t.low for t in toks)
        self._key_cache.clear()
        self._split.clear()
        bucket = self.entries.setdefault(seq[0].lower(), [])
        for i, (s, cs, m) in enumerate(bucket):
            if s == seq and cs == case_sensitive:
                if (
                    m.kind in _SPEAKER_KINDS
                    and mention.kind in _SPEAKER_KINDS
                    and m.speaker != mention.speaker
                ):
                    raise RegistryError(
                        f"the phrase {phrase!r} names two speakers, {m.speaker!r} and {mention.speaker!r}"
                    )
                if m.kind == "person" and mention.kind == "person":
                    merged = tuple(dict.fromkeys(m.persons + mention.persons))
                    g = m.gender if m.gender == mention.gender else ""
                    explicit = {p for p in m.persons if p not in m.doc_only} | {
                        p for p in mention.persons if p not in mention.doc_only
                    }
                    doc_only = tuple(p for p in merged if p not in explicit)
                    bucket[i] = (
                        s,
                        cs,
                        Mention(
                            "person",
                            persons=merged,
                            full=m.full and mention.full,
                            gender=g,
                            doc_only=doc_only,
                        ),
                    )
                return
        bucket.append((seq, case_sensitive, mention))
        self.max_len = max(self.max_len, len(seq))
        if "\u0600" <= seq[0][:1] <= "\u06ff":
            self._canon_cache.clear()
            self._alt_cache.clear()
            self._vocab.update(seq)
            if len(seq) > 1 and tolerant:
                if mention.kind == "person":
                    self._name_words.update(seq)
                for w in seq:
                    if len(w) >= TOLERANT_MIN_LEN - 1:
                        for key in _deletes(w) | {w}:
                            self._near.setdefault(key, set()).add(w)

    def _keys(self, first: str) -> list[tuple[str, str]]:
        """Index keys a token can stand for: itself, or itself without an Arabic proclitic."""
        cached = self._key_cache.get(first)
        if cached is not None:
            return cached
        cands = []
        if first in self.entries:
            cands.append((first, ""))
        if "\u0600" <= first[:1] <= "\u06ff":
            for cl in ARABIC_CLITICS:
                if first.startswith(cl) and len(first) > len(cl) + 1:
                    rest = first[len(cl) :]
                    if cl.endswith("ال"):
                        rest = "ال" + rest
                    if rest in self.entries:
                        cands.append((rest, cl))
            if first.startswith("لل") and len(first) > 3 and "ال" + first[2:] in self.entries:
                cands.append(("ال" + first[2:], "ل"))
        if len(self._key_cache) > 200_000:
            self._key_cache.clear()
        self._key_cache[first] = cands
        return cands

    def _split_bucket(self, key: str) -> tuple[list, dict[str, list]]:
        """The bucket's entries as (words, case_sensitive, mention, plain): one-token phrases, and longer ones
        by their second word's lower-case form.  ``plain``: matched on folded forms, and its first two words
        are the bucket's key and the lower-case second word, so that where :meth:`match_at` looks it up only
        its words after the second need comparing."""
        singles: list = []
        longer: dict[str, list] = {}
        for seq, cs, mention in self.entries[key]:
            plain = not cs and seq[0] == key and (len(seq) == 1 or seq[1] == seq[1].lower())
            if len(seq) == 1:
                singles.append((seq, cs, mention, plain))
            else:
                longer.setdefault(seq[1].lower(), []).append((seq, cs, mention, plain))
        self._split[key] = (singles, longer)
        return singles, longer

    def match_at(self, toks: list[Any], i: int) -> tuple[int, Mention, str] | None:
        """Longest phrase starting at token ``i``: (number of tokens, mention, Arabic clitic stripped)."""
        cands = self._keys(toks[i].low)
        if not cands:
            return None
        best: tuple[int, Mention, str] | None = None
        nxt = toks[i + 1].low if i + 1 < len(toks) else None
        after: tuple[str, ...] | None = None  # the folded forms of the tokens after the next one (read once)
        for key, clitic in cands:
            split = self._split.get(key)
            if split is None:
                split = self._split_bucket(key)
            singles, longer = split
            # (the entries that can match, in index order: one-token phrases, then those whose second
            # word is the next token; the first longest match wins, as over the whole bucket)
            group = longer.get(nxt, ()) if nxt is not None else ()
            for seq, cs, mention, plain in (*singles, *group) if group else singles:
                n = len(seq)
                if n <= (best[0] if best else 0) or i + n > len(toks):
                    continue
                if plain:
                    # its first word is the key and its second the next token's (the bucket's split): the rest
                    # must be the folded forms of the tokens after them, compared as tuples in C
                    if n > 2:
                        if after is None:
                            after = tuple(t.low for t in toks[i + 2 : i + self.max_len])
                        if seq[2:] != after[: n - 2]:
                            continue
                    best = (n, mention, clitic)
                    continue
                ok = True
                for k in range(n):
                    tok = toks[i + k]
                    want = seq[k]
                    tcs = cs is True or (cs and want != want.lower())
                    got = (
                        (tok.case if tcs else tok.low)
                        if k
                        else (key if not tcs else _strip_case(tok.case, clitic))
                    )
                    if got != want and not (
                        tcs and len(got) > 1 and got.isupper() and got.capitalize() == want
                    ):
                        ok = False  # (an ALL-CAPS headline word may stand for a capitalised name)
                        break
                if ok:
                    best = (n, mention, clitic)
        return best


def _strip_case(word: str, clitic: str) -> str:
    if not clitic:
        return word
    rest = word[len(clitic) :]
    return ("ال" + rest) if clitic.endswith("ال") else rest


def _variants(phrase: str, pairs: list[tuple[str, str]]) -> set[str]:
    out = {phrase}
    for a, b in pairs:
        for p in list(out):
            if a in p:
                out.add(p.replace(a, b))
            if b in p:
                out.add(p.replace(b, a))
    return out


@dataclass
class Lexicon:
    verbs: dict[
        str, tuple[str, str]
    ]  # folded token -> (gender m/f/p/"", form: past|imperfect|participle|masdar|en)
    en_weak: frozenset[str]
    en_participles: frozenset[str]
    ar_no_subject: frozenset[str]
    ar_fillers: frozenset[str]
    ar_complementizers: frozenset[str]
    ar_connectors: frozenset[str]
    en_fillers: frozenset[str]
    en_pronouns: dict[str, str]
    ar_speech_objects: tuple[str, ...] = ()  # stems: objects that make a weak Arabic verb speech
    en_foreign_adjs: frozenset[str] = frozenset()  # other countries: "the German Foreign Office"
    en_foreign_countries: frozenset[str] = frozenset()  # "Germany's Foreign Office"
    ar_foreign_places: frozenset[str] = frozenset()  # "... في العراق"
    ar_foreign_adjs: frozenset[str] = frozenset()  # "... العراقية"
    ar_unmarked_ok: frozenset[str] = frozenset()  # words that tie a body to the US, UK or UN
    w: SimpleNamespace = field(default_factory=SimpleNamespace)  # the [lists] word lists, by name


# word lists of lexicon.toml [lists] that the extraction code reads (a missing one is a RegistryError)
REQUIRED_LISTS = (
    "en_base_forms",
    "en_modals_said",
    "en_anaphor_heads",
    "en_speech_only_verbs",
    "ar_present_openers",
    "ar_object_heads",
    "ar_contrast_openers",
    "ar_prepositions",
    "ar_relatives",
    "ar_topic_openers",
    "ar_body_heads",
    "ar_subordinators",
    "ar_subordinators_an",
    "ar_according",
    "ar_relay_verbs",
    "ar_source_skip",
    "ar_source_nouns",
    "ar_masdar_skip",
    "ar_needs_comp",
    "ar_sv_gap",
    "ar_kana",
    "ar_object_gap",
    "ar_venue",
    "en_source_skip",
    "en_clause_participles",
    "en_clause_breakers",
    "en_clause_openers",
    "en_subordinators",
    "en_modals",
    "en_uk_markers",
    "en_uk_rivals",
    "en_possessive_posts",
    "en_possessive_bodies",
    "en_documents",
    "en_passive_be",
    "en_auxiliaries",
    "en_bare_titles",
    "en_label_titles",
    "en_label_suffixes",
    "en_block_openers",
    "en_block_opener_prefixes",
    "en_block_procedure_phrases",
    "en_block_agenda_phrases",
    "en_intro_nouns",
    "en_content_verbs",
    "en_weak_acts",
    "en_intro_participles",
    "en_issue_verbs",
    "en_after_said_x",
    "en_while",
    "ar_while",
    "former",
    "np_join_gap",
    "ar_not_verbs",
    "home_places",
    "quote_label_before",
    "en_name_labels",
    "ar_li_thing",
    "ar_talk_verbs",
    "ar_talk_content",
    "ar_reply_verbs",
    "ar_reply_content",
    "ar_byline_verbs",
    "ar_apposition_breakers",
    "ar_associations",
    "ar_adverbs",
    "ar_member_titles",
    "ar_post_heads",
    "ar_feminine_places",
)
SUBJECT_FINDERS = (
    "opening-phrase",
    "closing-phrase",
    "en-headline",
    "after",
    "relayed",
    "ar-verb",
    "ar-present",
    "ar-masdar",
    "ar-weak-object",
    "en-quoted",
    "en-issued",
    "en-verb",
    "en-participle",
    "none",
)
ROLES = ("main", "source", "continuation")
# the [lists] of lexicon.toml that say a text is about a tracked speaker's country ("home" anaphors)
HOME_MARKERS = {"uk-government": ("en_uk_markers", "en_uk_rivals")}


@dataclass(frozen=True)
class Construction:
    """One row of constructions.toml: a named way of reporting speech."""

    name: str
    lang: str  # ar | en | any
    triggers: frozenset[str]
    subject: str  # one of SUBJECT_FINDERS
    follows: str = ""
    near: frozenset[str] = frozenset()
    skip: frozenset[str] = frozenset()
    role: str = "main"
    scan_window: int = 0
    scan_tail: int = 0  # a punctuation trigger looked for in the unit's last characters by the pre-scan
    fallthrough: bool = False  # when its subject is not found, the next row with the word may claim it


class Registry:
    """Tracked speakers, look-alike bodies, people with dated posts, and the compiled matchers."""

    def __init__(
        self,
        speakers_data: dict[str, Any],
        lexicon_data: dict[str, Any],
        source: str = "",
        constructions_data: dict[str, Any] | None = None,
    ) -> None:
        self.source = source
        self.speakers: dict[str, Speaker] = {}
        self.persons: dict[str, Person] = {}
        self.unique_roles: frozenset[str] = frozenset()
        # each speaker's organisation names (org_en, then org_ar) and title texts (titles_en, then titles_ar)
        self.org_names: dict[str, tuple[str, ...]] = {}
        self.title_names: dict[str, tuple[str, ...]] = {}
        self.index = PhraseIndex()
        self.tracked_keys: set[str] = set()  # last 1-3 words of phrases that can name a tracked speaker
        self.tracked_last: set[str] = set()  # the last word of each of those
        self._relevant: list[list[str]] = []
        self.doc_only_words: set[str] = set()  # derived surnames (see doc_only), folded lower-case
        self.home_words: set[str] = set()  # last words of "home" anaphors ("the government")
        self.sole_words: set[str] = set()  # last words of "sole" anaphors ("الولايات المتحدة")
        self._resolve: dict[str, str] = {}
        self._holders: dict[tuple[str, str, str], str | None] = {}
        self._first_names: dict[tuple[str, ...], frozenset[str]] = {}
        self.constructions: tuple[Construction, ...] = ()
        # folded word -> the constructions it opens, in the table's order
        self.construction_index: dict[str, tuple[Construction, ...]] = {}
        self._build(speakers_data, lexicon_data)
        self._posts_by_role: dict[tuple[str, str], list[tuple[str, Post]]] = {}
        for p in self.persons.values():
            for po in p.posts:
                self._posts_by_role.setdefault((po.speaker, po.role), []).append((p.id, po))
        if constructions_data is None:
            constructions_data = read_toml(CONSTRUCTIONS_FILE)
        self._build_constructions(constructions_data)

    # --- public API ---------------------------------------------------------------------------
    @property
    def tracked(self) -> tuple[Speaker, ...]:
        return tuple(s for s in self.speakers.values() if s.tracked)

    def is_tracked(self, speaker_id: str | None) -> bool:
        sp = self.speakers.get(speaker_id or "")
        return bool(sp and sp.tracked)

    def resolve(self, name: str) -> str | None:
        """Map an id, name or alias (any case, Arabic folded) to a tracked speaker id, else None."""
        if not isinstance(name, str):
            return None
        key = fold(name).strip()
        if key.startswith("ال") and key not in self._resolve:
            key2 = key[2:]
            return self._resolve.get(key2)
        return self._resolve.get(key)

    def holder(self, speaker: str, role: str, day: str) -> str | None:
        """The one person holding ``role`` for ``speaker`` on ``day`` (for unique roles), else None."""
        if role not in self.unique_roles:
            return None
        key = (speaker, role, day)
        if key in self._holders:
            return self._holders[key]
        posts = self._posts_by_role.get((speaker, role), ())
        found = {pid for pid, po in posts if po.covers(day)}
        out = found.pop() if len(found) == 1 else None
        if len(self._holders) > 50_000:
            self._holders.clear()
        self._holders[key] = out
        return out

    def first_names(self, persons: tuple[str, ...]) -> frozenset[str]:
        """The folded first words of these people's Arabic names (cached)."""
        got = self._first_names.get(persons)
        if got is None:
            got = frozenset(
                tokenize(fold(n))[0].low for pid in persons for n in self.persons[pid].names_ar if n.split()
            )
            self._first_names[persons] = got
        return got

    # --- building -----------------------------------------------------------------------------
    def _build(self, sdata: dict[str, Any], ldata: dict[str, Any]) -> None:
        src = self.source or "speakers.toml"
        pairs = []
        for i, pair in enumerate(_get(sdata, "variants", dict, src, {}).get("ar", [])):
            if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
                raise RegistryError(f"{src}: [variants].ar[{i}] must be a pair of strings")
            pairs.append((fold(pair[0]), fold(pair[1])))
        roles = _get(sdata, "roles", dict, src, {})
        self.unique_roles = frozenset(str_list(roles.get("unique", []), f"{src}: [roles].unique"))

        speakers = _get(sdata, "speaker", list, src)
        if not speakers:
            raise RegistryError(f"{src}: no [[speaker]] entries")
        for i, raw in enumerate(speakers):
            where = f"{src}: [[speaker]] #{i + 1}"
            if not isinstance(raw, dict):
                raise RegistryError(f"{where} is not a table")
            sid = _req_str(raw, "id", where)
            where = f"{src}: speaker {sid!r}"
            if sid in self.speakers:
                raise RegistryError(f"{where}: duplicate id")
            tracked = raw.get("tracked", True)
            if not isinstance(tracked, bool):
                raise RegistryError(f"{where}: 'tracked' must be true or false")
            gender = raw.get("gender", "f")
            if gender not in GENDERS:
                raise RegistryError(f"{where}: 'gender' must be one of 'm', 'f', ''")
            aliases = tuple(str_list(raw.get("aliases", []), f"{where}: 'aliases'"))
            sp = Speaker(
                id=sid,
                name_en=_req_str(raw, "name_en", where),
                name_ar=_req_str(raw, "name_ar", where),
                flag=_req_str(raw, "flag", where) if tracked else str(raw.get("flag", "")),
                aliases=aliases,
                tracked=tracked,
                country=str(raw.get("country", "")),
                gender=gender,
            )
            self.speakers[sid] = sp
            if tracked:
                for key in (sid, sp.name_en, sp.name_ar, *aliases):
                    self._resolve.setdefault(fold(key), sid)
            orgs: list[str] = []
            titles: list[str] = []
            for lang in ("en", "ar"):
                for phrase in str_list(raw.get(f"org_{lang}", []), f"{where}: 'org_{lang}'"):
                    self._add(phrase, Mention("org", speaker=sid, gender=gender), pairs)
                    orgs.append(phrase)
                for j, t in enumerate(raw.get(f"titles_{lang}", [])):
                    tw = f"{where}: titles_{lang}[{j}]"
                    if not isinstance(t, dict):
                        raise RegistryError(f"{tw} must be a table {{ text, role, gender }}")
                    g = t.get("gender", "")
                    if g not in GENDERS:
                        raise RegistryError(f"{tw}: 'gender' must be one of 'm', 'f', ''")
                    m = Mention(
                        "title", speaker=sid, role=_req_str(t, "role", tw), gender=g, soft=bool(t.get("soft"))
                    )
                    self._add(_req_str(t, "text", tw), m, pairs)
                    titles.append(t["text"])
            self.org_names[sid] = tuple(orgs)
            self.title_names[sid] = tuple(titles)

        derived: list[tuple[str, str, list[str], set[str]]] = []
        ar = lambda s: any("\u0600" <= c <= "\u06ff" for c in s)  # noqa: E731
        for i, raw in enumerate(_get(sdata, "person", list, src, [])):
            where = f"{src}: [[person]] #{i + 1}"
            if not isinstance(raw, dict):
                raise RegistryError(f"{where} is not a table")
            pid = _req_str(raw, "id", where)
            where = f"{src}: person {pid!r}"
            if pid in self.persons:
                raise RegistryError(f"{where}: duplicate id")
            if pid != pid.lower() or " " in pid:
                raise RegistryError(f"{where}: ids are lowercase and hyphenated")
            gender = raw.get("gender", "")
            if gender not in GENDERS:
                raise RegistryError(f"{where}: 'gender' must be one of 'm', 'f', ''")
            names = str_list(raw.get("names", []), f"{where}: 'names'")
            if not names:
                raise RegistryError(f"{where}: 'names' is empty")
            surnames = str_list(raw.get("surnames", []), f"{where}: 'surnames'")
            posts = []
            for j, po in enumerate(raw.get("posts", [])):
                pw = f"{where}: posts[{j}]"
                if not isinstance(po, dict):
                    raise RegistryError(f"{pw} must be a table {{ speaker, role, from, to }}")
                spk = _req_str(po, "speaker", pw)
                if spk not in self.speakers:
                    raise RegistryError(f"{pw}: unknown speaker {spk!r}")
                start, end = str(po.get("from", "")), str(po.get("to", ""))
                for label, val in (("from", start), ("to", end)):
                    if val:
                        try:
                            _dt.date.fromisoformat(val)
                        except ValueError:
                            raise RegistryError(
                                f"{pw}: '{label}' = {val!r} is not an ISO date (YYYY-MM-DD)"
                            ) from None
                if start and end and end < start:
                    raise RegistryError(f"{pw}: 'to' is before 'from'")
                posts.append(Post(spk, _req_str(po, "role", pw), start, end))
            if not posts:
                raise RegistryError(f"{where}: 'posts' is empty")
            alone = raw.get("surname_alone", False)
            alone_ar = raw.get("surname_alone_ar", True)
            if not isinstance(alone, bool) or not isinstance(alone_ar, bool):
                raise RegistryError(f"{where}: 'surname_alone' and 'surname_alone_ar' must be true or false")
            person = Person(
                id=pid,
                gender=gender,
                names_en=tuple(n for n in names if not ar(n)),
                names_ar=tuple(n for n in names if ar(n)),
                surnames_en=tuple(n for n in surnames if not ar(n)),
                surnames_ar=tuple(n for n in surnames if ar(n)),
                surname_alone=alone,
                surname_alone_ar=alone_ar,
                posts=tuple(posts),
            )
            self.persons[pid] = person
            for n in names:
                self._add(
                    n, Mention("person", persons=(pid,), full=True, gender=gender), pairs, case=not ar(n)
                )
            for n in surnames:
                self._add(
                    n, Mention("person", persons=(pid,), full=False, gender=gender), pairs, case=not ar(n)
                )
            # the last word of each full name is also a surname, usable only once the full name has
            # appeared in the same text and only right beside a reporting verb ("..., May said")
            known = {fold(n) if ar(n) else n for n in surnames}
            derived.append((pid, gender, names, known))
        # first names, and a few name words shared with other people or common words, are never derived
        firsts_all = {
            fold(n.split()[0]) if ar(n) else n.split()[0]
            for p in self.persons.values()
            for n in (*p.names_en, *p.names_ar)
        }
        for pid, gender, names, known in derived:
            for n in names:
                parts = n.split()
                if len(parts) < 2:
                    continue
                last = fold(parts[-1]) if ar(n) else parts[-1]
                if not ar(n) and len(parts) >= 3 and parts[-2] in _SURNAME_PARTICLES:
                    last = (
                        f"{parts[-2]} {parts[-1]}"  # "Al Hussein", "de Mello": the particle is the surname's
                    )
                if (
                    last in known
                    or last in firsts_all
                    or last in _NOT_DERIVED
                    or len(last) < 3
                    or (not ar(n) and not last[:1].isupper())
                ):
                    continue
                known.add(last)
                self.doc_only_words.add(last.split()[-1].lower())
                m = Mention("person", persons=(pid,), full=False, gender=gender, doc_only=(pid,))
                if ar(n):
                    for v in _variants(last, pairs):
                        self.index.add(v, m)
                else:
                    self.index.add(last, m, case_sensitive=True)

        self.lexicon = self._build_lexicon(ldata, pairs)
        self._build_tracked_keys(pairs)
        # first words of full names
        firsts: set[str] = set()
        for p in self.persons.values():
            for n in (*p.names_en, *p.names_ar):
                toks = tokenize(fold(n) if any("\u0600" <= c <= "\u06ff" for c in n) else n)
                if toks:
                    firsts.add(toks[0].low)
                    for cl in ("و", "ف", "ب", "ل"):
                        firsts.add(cl + toks[0].low)
        self.person_first_tokens = frozenset(firsts)
        # the first two words of Arabic full names ("لويد أوستن"): a line may break between them
        self.ar_name_starts = frozenset(
            " ".join(t.low for t in toks[:2])
            for p in self.persons.values()
            for n in p.names_ar
            if len(toks := tokenize(fold(n))) >= 2
        )

    def _build_constructions(self, data: dict[str, Any]) -> None:
        """The construction table, its trigger index and the pre-scan's trigger words (one source)."""
        src = "constructions.toml"
        lex = self.lexicon
        by_form: dict[str, set[str]] = {}
        for form, (_g, kind) in lex.verbs.items():
            by_form.setdefault(kind, set()).add(form)
        by_form["en_participle"] = set(lex.en_participles)
        rows = _get(data, "construction", list, src)
        out: list[Construction] = []
        index: dict[str, list[Construction]] = {}
        for i, raw in enumerate(rows):
            where = f"{src}: [[construction]] #{i + 1}"
            if not isinstance(raw, dict):
                raise RegistryError(f"{where} is not a table")
            name = _req_str(raw, "name", where)
            where = f"{src}: construction {name!r}"
            if any(c.name == name for c in out):
                raise RegistryError(f"{where}: duplicate name")
            lang = raw.get("lang", "any")
            if lang not in ("ar", "en", "any"):
                raise RegistryError(f"{where}: 'lang' must be 'ar', 'en' or 'any'")
            subject = _req_str(raw, "subject", where)
            if subject not in SUBJECT_FINDERS:
                raise RegistryError(
                    f"{where}: unknown subject finder {subject!r} (one of {', '.join(SUBJECT_FINDERS)})"
                )
            role = raw.get("role", "main")
            if role not in ROLES:
                raise RegistryError(f"{where}: 'role' must be one of {', '.join(ROLES)}")
            words: set[str] = set()
            for t in str_list(raw.get("triggers", []), f"{where}: 'triggers'"):
                if t.startswith("@verbs:"):
                    if t[7:] not in by_form:
                        raise RegistryError(f"{where}: no reporting verbs of form {t[7:]!r} in lexicon.toml")
                    words |= by_form[t[7:]]
                elif t.startswith("@list:"):
                    if not hasattr(lex.w, t[6:]):
                        raise RegistryError(f"{where}: no list {t[6:]!r} in lexicon.toml [lists]")
                    words |= getattr(lex.w, t[6:])
                else:
                    words.add(fold(t))
            if not words:
                raise RegistryError(f"{where}: no trigger words")
            skip: set[str] = set()
            for s in str_list(raw.get("skip", []), f"{where}: 'skip'"):
                if not hasattr(lex.w, s):
                    raise RegistryError(f"{where}: 'skip' names no list {s!r} in lexicon.toml [lists]")
                skip |= getattr(lex.w, s)
            near: set[str] = set()
            for w in str_list(raw.get("near", []), f"{where}: 'near'"):
                if w.startswith("@list:"):
                    if not hasattr(lex.w, w[6:]):
                        raise RegistryError(
                            f"{where}: 'near' names no list {w[6:]!r} in lexicon.toml [lists]"
                        )
                    near |= getattr(lex.w, w[6:])
                else:
                    near.add(fold(w))
            window = raw.get("scan_window", 0)
            if not isinstance(window, int) or window < 0:
                raise RegistryError(f"{where}: 'scan_window' must be a whole number")
            tail = raw.get("scan_tail", 0)
            if not isinstance(tail, int) or tail < 0 or (tail and window):
                raise RegistryError(
                    f"{where}: 'scan_tail' must be a whole number (and no scan_window beside it)"
                )
            fallthrough = raw.get("fallthrough", False)
            if not isinstance(fallthrough, bool):
                raise RegistryError(f"{where}: 'fallthrough' must be true or false")
            con = Construction(
                name=name,
                lang=lang,
                triggers=frozenset(words),
                subject=subject,
                follows=fold(str(raw.get("follows", ""))),
                near=frozenset(near),
                skip=frozenset(skip),
                role=role,
                scan_window=window,
                scan_tail=tail,
                fallthrough=fallthrough,
            )
            out.append(con)
            for w in words:
                index.setdefault(w, []).append(con)
        self.constructions = tuple(out)
        self.construction_index = {w: tuple(cs) for w, cs in index.items()}
        # words whose presence makes a sentence worth analysing (word triggers), and punctuation
        # triggers looked for in the first characters of a unit (headline "بلينكن: ...")
        self.triggers = frozenset(w for c in out if not (c.scan_window or c.scan_tail) for w in c.triggers)
        self.window_triggers = tuple(
            (w, c.scan_window) for c in out if c.scan_window for w in sorted(c.triggers)
        )
        # ... and in the last characters of a unit (headline "<words> - Pentagon")
        self.tail_triggers = tuple((w, c.scan_tail) for c in out if c.scan_tail for w in sorted(c.triggers))

    def _add(self, phrase: str, mention: Mention, pairs: list[tuple[str, str]], case: bool = False) -> None:
        relevant = (mention.kind in ("org", "title") and self.is_tracked(mention.speaker)) or (
            mention.kind == "person"
            and any(self.is_tracked(po.speaker) for pid in mention.persons for po in self.persons[pid].posts)
        )
        if relevant:
            words = scan_words(
                fold_keep_offsets(fold(phrase) if any("\u0600" <= c <= "\u06ff" for c in phrase) else phrase)
            )
            if words:
                self._relevant.append(words)
        if any("\u0600" <= c <= "\u06ff" for c in phrase):
            for v in _variants(fold(phrase), pairs):
                self.index.add(v, mention, tolerant=relevant or mention.kind in ("prefix", "suffix"))
        else:
            # phrases with an acronym ("UN", "WHO", "DoD") are matched case-sensitively
            acronym = any(sum(c.isupper() for c in w) >= 2 for w in phrase.replace(".", "").split())
            # (bodies and titles match their other words in any case: "the US defense secretary")
            mode: bool | str = True if case else ("acronym" if mention.kind in ("org", "title") else True)
            self.index.add(phrase, mention, case_sensitive=mode if (case or acronym) else False)

    def _build_tracked_keys(self, pairs: list[tuple[str, str]]) -> None:
        """For each phrase that can name a tracked speaker, its last (up to) three words: a sentence
        without any of these word sequences cannot name a tracked speaker (a cheap, selective test)."""
        for words in self._relevant:
            tail = words[-3:]
            firsts = [tail[0]]
            if (
                len(words) <= 3 and "\u0600" <= tail[0][:1] <= "\u06ff"
            ):  # the first word may carry a proclitic
                w = tail[0]
                firsts += [cl + w for cl in ("و", "ف", "ب", "ل", "وب", "ول", "فب", "فل", "ك", "وك")]
                if w.startswith("ال"):
                    firsts += ["ل" + w[1:], "ول" + w[1:], "فل" + w[1:]]
            for first in firsts:
                for v in _variants(" ".join([first, *tail[1:]]), pairs):
                    self.tracked_keys.add(v)
                    self.tracked_last.add(v.rsplit(" ", 1)[-1])
        self._relevant = []

    def _build_lexicon(self, ldata: dict[str, Any], pairs: list[tuple[str, str]]) -> Lexicon:
        src = "lexicon.toml"
        verbs_raw = _get(ldata, "verbs", dict, src)
        words = _get(ldata, "words", dict, src)
        verbs: dict[str, tuple[str, str]] = {}

        def put(form: str, gender: str, kind: str) -> None:
            f = fold(form)
            if f and f not in verbs:
                verbs[f] = (gender, kind)
                for cl in ("و", "ف"):
                    verbs.setdefault(cl + f, (gender, kind))

        for v in str_list(verbs_raw.get("ar_past", []), f"{src}: verbs.ar_past"):
            fv = fold(v)
            put(fv, "m", "past")
            fem = fv[:-1] + "ت" if fv[-1] in "اي" else fv + "ت"
            put(fem, "f", "past")
            plu = fv[:-1] + "وا" if fv[-1] in "اي" else fv + "وا"
            put(plu, "p", "past")
        for v in str_list(verbs_raw.get("ar_past_fem", []), f"{src}: verbs.ar_past_fem"):
            put(v, "f", "past")
        for v in str_list(verbs_raw.get("ar_weak", []), f"{src}: verbs.ar_weak"):
            fv = fold(v)
            put(fv, "m", "weak")
            put(fv[:-1] + "ت" if fv[-1] in "اي" else fv + "ت", "f", "weak")
        for v in str_list(verbs_raw.get("ar_imperfect", []), f"{src}: verbs.ar_imperfect"):
            fv = fold(v)
            put(fv, "m", "imperfect")
            if fv.startswith("ي"):
                put("ت" + fv[1:], "f", "imperfect")
        for v in str_list(verbs_raw.get("ar_participle", []), f"{src}: verbs.ar_participle"):
            fv = fold(v)
            put(fv, "m", "participle")
            put(fv[:-1] + "ه" if fv.endswith("ا") else fv + "ه", "f", "participle")
        for v in str_list(verbs_raw.get("ar_masdar", []), f"{src}: verbs.ar_masdar"):
            put(v, "", "masdar")
            put("ب" + fold(v), "", "masdar")
        for v in str_list(verbs_raw.get("en", []), f"{src}: verbs.en"):
            verbs.setdefault(v.lower(), ("", "en"))

        for spec in words.get("ar_spokes_prefix", []):
            if not isinstance(spec, dict):
                raise RegistryError(f"{src}: words.ar_spokes_prefix entries are {{ text, gender }} tables")
            self._add(_req_str(spec, "text", src), Mention("prefix", gender=spec.get("gender", "")), pairs)
        for p in str_list(words.get("en_spokes_prefix", []), f"{src}: words.en_spokes_prefix"):
            g = "m" if "spokesman" in p else "f" if "spokeswoman" in p else ""
            self.index.add(p, Mention("prefix", gender=g))
        for p in str_list(words.get("en_role_suffix", []), f"{src}: words.en_role_suffix"):
            g = "m" if "spokesman" in p else "f" if "spokeswoman" in p else ""
            role = "official" if "official" in p else "spokesperson"
            self.index.add(p, Mention("suffix", role=role, gender=g))
        for p in str_list(words.get("ar_honorifics", []), f"{src}: words.ar_honorifics"):
            self._add(p, Mention("honorific"), pairs)
        for p in str_list(words.get("en_honorifics", []), f"{src}: words.en_honorifics"):
            self.index.add(p, Mention("honorific"), case_sensitive=True)

        for i, an in enumerate(_get(ldata, "anaphor", list, src, [])):
            where = f"{src}: [[anaphor]] #{i + 1}"
            if not isinstance(an, dict):
                raise RegistryError(f"{where} is not a table")
            g = an.get("gender", "")
            if g not in GENDERS:
                raise RegistryError(f"{where}: 'gender' must be one of 'm', 'f', ''")
            refers = tuple(str_list(an.get("refers", []), f"{where}: 'refers'"))
            for r in refers:
                if r != "any" and r not in self.speakers:
                    raise RegistryError(f"{where}: 'refers' names unknown speaker {r!r}")
            home = an.get("home", "")
            if home and (home not in self.speakers or not self.is_tracked(home)):
                raise RegistryError(f"{where}: 'home' names no tracked speaker {home!r}")
            if home and home not in HOME_MARKERS:
                raise RegistryError(f"{where}: 'home' {home!r} has no country markers in lexicon.toml")
            max_age = an.get("max_age", -1)
            if not isinstance(max_age, int) or max_age < -1:
                raise RegistryError(f"{where}: 'max_age' must be a whole number")
            body = an.get("body", False)
            if not isinstance(body, bool):
                raise RegistryError(f"{where}: 'body' must be true or false")
            sole = an.get("sole", False)
            if not isinstance(sole, bool):
                raise RegistryError(f"{where}: 'sole' must be true or false")
            for t in str_list(an.get("text", []), f"{where}: 'text'"):
                self._add(
                    t,
                    Mention(
                        "anaphor", gender=g, refers=refers, home=home, max_age=max_age, body=body, sole=sole
                    ),
                    pairs,
                )
                if home:
                    self.home_words.add(scan_words(fold_keep_offsets(t))[-1])
                if sole:
                    self.sole_words.add(scan_words(fold_keep_offsets(t))[-1])

        def fl(key: str) -> frozenset[str]:
            return frozenset(fold(w) for w in str_list(words.get(key, []), f"{src}: words.{key}"))

        lists_raw = _get(ldata, "lists", dict, src)
        lists = {}
        for key, val in lists_raw.items():
            lists[key] = frozenset(f for f in (fold(w) for w in str_list(val, f"{src}: lists.{key}")) if f)
        missing = [k for k in REQUIRED_LISTS if k not in lists]
        if missing:
            raise RegistryError(f"{src}: [lists] lacks {', '.join(missing)}")
        pron = {}
        for g, key in (("m", "en_pronouns_m"), ("f", "en_pronouns_f"), ("n", "en_pronouns_n")):
            for w in str_list(words.get(key, []), f"{src}: words.{key}"):
                pron[w.lower()] = g
        return Lexicon(
            verbs=verbs,
            en_weak=frozenset(
                w.lower() for w in str_list(verbs_raw.get("en_weak", []), f"{src}: verbs.en_weak")
            ),
            en_participles=frozenset(
                w.lower() for w in str_list(verbs_raw.get("en_participle", []), f"{src}: verbs.en_participle")
            ),
            ar_no_subject=fl("ar_no_subject"),
            ar_fillers=fl("ar_fillers"),
            ar_complementizers=fl("ar_complementizers"),
            ar_connectors=fl("ar_clause_connectors"),
            en_fillers=frozenset(
                w.lower() for w in str_list(words.get("en_fillers", []), f"{src}: words.en_fillers")
            ),
            en_pronouns=pron,
            ar_speech_objects=tuple(sorted(fl("ar_speech_objects"))),
            en_foreign_adjs=frozenset(
                w.lower() for w in str_list(words.get("en_foreign_adjs", []), f"{src}: words.en_foreign_adjs")
            ),
            en_foreign_countries=frozenset(
                w.lower()
                for w in str_list(words.get("en_foreign_countries", []), f"{src}: words.en_foreign_countries")
            ),
            ar_foreign_places=fl("ar_foreign_places"),
            ar_foreign_adjs=fl("ar_foreign_adjs"),
            ar_unmarked_ok=fl("ar_national_markers"),
            w=SimpleNamespace(**lists),
        )


# --- validation helpers ----------------------------------------------------------------------------


def _get(data: dict[str, Any], key: str, typ: type, src: str, default: Any = None) -> Any:
    if key not in data:
        if default is not None:
            return default
        raise RegistryError(f"{src}: missing [{key}]")
    val = data[key]
    if not isinstance(val, typ):
        raise RegistryError(f"{src}: [{key}] has the wrong type (expected {typ.__name__})")
    return val


def _req_str(d: dict[str, Any], key: str, where: str) -> str:
    val = d.get(key)
    if not isinstance(val, str) or not val.strip():
        raise RegistryError(f"{where}: missing or empty '{key}'")
    return val


def str_list(val: Any, where: str, *, non_empty: bool = False) -> list[str]:
    """``val`` if it is a list of strings (``non_empty``: none blank), else :class:`RegistryError` at ``where``."""
    if not isinstance(val, list) or not all(isinstance(x, str) and (x.strip() or not non_empty) for x in val):
        raise RegistryError(f"{where} must be a list of {'non-empty ' if non_empty else ''}strings")
    return val


def read_toml(path: Path) -> dict[str, Any]:
    """A data file's table; :class:`RegistryError` (one line: the path and what is wrong) when it cannot be read."""
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise RegistryError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as e:
        raise RegistryError(f"{path}: invalid TOML: {e}") from None
    except OSError as e:
        raise RegistryError(f"{path}: cannot read: {e}") from None


def build_registry(
    speakers_path: str | Path | None = None,
    lexicon_path: str | Path | None = None,
    constructions_path: str | Path | None = None,
) -> Registry:
    """Load and validate the three data files (uncached)."""
    sp = Path(speakers_path) if speakers_path else SPEAKERS_FILE
    lp = Path(lexicon_path) if lexicon_path else LEXICON_FILE
    cp = Path(constructions_path) if constructions_path else CONSTRUCTIONS_FILE
    return Registry(read_toml(sp), read_toml(lp), source=str(sp), constructions_data=read_toml(cp))


@functools.lru_cache(maxsize=4)
def _cached(speakers_path: str, lexicon_path: str) -> Registry:
    if not speakers_path and not lexicon_path:  # the package's own files: built once per installation
        return prebuilt.cached("registry", build_registry)
    return build_registry(speakers_path or None, lexicon_path or None)


def load_registry(
    speakers_path: str | Path | None = None, lexicon_path: str | Path | None = None
) -> Registry:
    """The registry, loaded and validated once per pair of paths (cached)."""
    return _cached(str(speakers_path or ""), str(lexicon_path or ""))
