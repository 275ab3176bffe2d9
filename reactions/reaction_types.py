"""Reaction type of a statement: the stance it takes, read from its reporting verb and its content.

The rules are data (``reactions.toml`` beside this module; its header documents the pattern syntax):
cue patterns per label and language, ``strong`` (what the reporting verb and what it governs say, and
unmistakable content) and ``weak`` (content that only leans), word senses that take no stance
("press secretary", "support on the ground"), negators, and the labels' precedence.  A statement is
folded and tokenised, every pattern is matched (every match names its rule, see :func:`explain`),
senses and negation void cues, and the label of highest precedence among the strong cues (else the weak
ones, else the default ``statement``) is its type.  Arabic conjugations and clitics are generated from
one past/imperfect pair per verb, English inflections from the lemma.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from pathlib import Path

from .model import REACTIONS
from .registry import RegistryError, read_toml, str_list
from .text import fold

DATA = Path(__file__).with_name("reactions.toml")
LABELS = REACTIONS
DEFAULT_GAP = 4

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[^\w\s]")
_HARD_STOP = frozenset(".!?؟:")
_AR_VERB_PREFIXES = ("", "و", "ف")
_AR_IMPERFECT_PREFIXES = ("", "و", "ف", "س", "وس", "فس", "ل", "ول", "فل")
_AR_NOUN_PREFIXES = ("", "و", "ف", "ب", "ل", "ك", "وب", "فب", "ول", "فل", "وك")
_AR_ARTICLE_PREFIXES = ("ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل", "وبال", "فبال")
_AR_SUFFIXES = ("ه", "ها", "هم", "هما", "هن", "نا", "ك", "كم", "ي")
_AR_PLAIN_PREFIXES = ("", "و", "ف")
_AR_OBJECTS = ("ه", "ها", "هم", "هما", "نا", "ك", "كم")


@dataclass(frozen=True)
class Cue:
    """One matched pattern: its label, the rule (the pattern as written), its token span and strength."""

    label: str
    rule: str
    start: int
    end: int
    weak: bool
    negated: bool = False


@dataclass(frozen=True)
class _Gap:
    size: int


@dataclass(frozen=True)
class _Slot:
    forms: frozenset[str]
    optional: bool = False
    keep: bool = False  # in a word sense: a word that must be there but keeps its own cue


_Element = _Slot | _Gap


@dataclass(frozen=True)
class _Pattern:
    label: str | None  # None: a word sense that voids cues
    rule: str
    elements: tuple[_Element, ...]
    weak: bool
    single: bool = False  # one word, nothing optional or kept: matched by its first token alone
    second: frozenset[str] | None = None  # the forms the next token must have (a quick test), if fixed


@dataclass(frozen=True)
class Rules:
    """The compiled rules of one language."""

    order: tuple[str, ...]
    default: str
    by_first: dict[str, tuple[_Pattern, ...]]
    negators: frozenset[str]
    exempt: frozenset[str]
    window: int


# --- generation of word forms ---------------------------------------------------------------------

_VOWELS = "aeiou"
# the irregular past forms of verbs the patterns use (or may): "held responsible", "stood with"
_EN_IRREGULAR = {
    "bring": ("brought",), "build": ("built",), "fight": ("fought",), "give": ("gave", "given"),
    "hold": ("held",), "keep": ("kept",), "lead": ("led",), "leave": ("left",), "lend": ("lent",),
    "make": ("made",), "meet": ("met",), "say": ("said",), "seek": ("sought",), "send": ("sent",),
    "speak": ("spoke", "spoken"), "spend": ("spent",), "stand": ("stood",), "strike": ("struck",),
    "take": ("took", "taken"), "tell": ("told",), "withdraw": ("withdrew", "withdrawn"),
    "write": ("wrote", "written"),
}


def en_inflections(lemma: str) -> set[str]:
    """An English verb's forms: lemma, third person, past, gerund (consonant doubling for short CVC
    verbs: slam -> slammed; e/y endings: urge -> urged, urging; deny -> denies, denied) and the
    irregular past forms of :data:`_EN_IRREGULAR` (hold -> held)."""
    w = lemma
    forms = {w, *_EN_IRREGULAR.get(w, ())}
    if w.endswith("y") and len(w) > 1 and w[-2] not in _VOWELS:
        forms |= {w[:-1] + "ies", w[:-1] + "ied", w + "ing"}
        return forms
    if w.endswith(("s", "sh", "ch", "x", "z")):
        forms.add(w + "es")
    else:
        forms.add(w + "s")
    if w.endswith("ee"):
        forms |= {w + "d", w + "ing"}
    elif w.endswith("e"):
        forms |= {w + "d", w[:-1] + "ing"}
    elif (  # one short syllable ending consonant-vowel-consonant: slam -> slammed (not open -> openned)
        len(w) <= 4
        and sum(ch in _VOWELS for ch in w) == 1
        and w[-1] not in _VOWELS + "wxy"
        and w[-2] in _VOWELS
    ):
        forms |= {w + w[-1] + "ed", w + w[-1] + "ing"}
    else:
        forms |= {w + "ed", w + "ing"}
    return forms


def ar_verb_forms(past: str, imperfect: str, participle: str = "") -> set[str]:
    """An Arabic verb's forms from its folded 3rd person masculine past and imperfect: past for every
    person, gender and number, imperfect for 3rd/2nd/1st person, adverbial participle; with clitics."""
    p, i = fold(past), fold(imperfect)
    if not p or not i.startswith("ي") or len(i) < 2:
        raise RegistryError(
            f"reactions.toml: Arabic verb {past}/{imperfect} needs a past and an imperfect (ي...)"
        )
    defective = p[-1] in "اي"
    stem = p[:-1] if defective else p
    past_forms = {p, stem + "ت", stem + "وا", stem + "تا", p + "وا" if not defective else stem + "وا"}
    if not defective:  # (no dual "P + ا": أدانا would be the name دانا)
        past_forms |= {p + "نا", p + "تم"}
    else:  # (not stem + ونا: دعونا is "let us")
        past_forms |= {stem + "ينا"}
    body = i[1:]
    imp_forms = {i, "ت" + body, "ن" + body, "ا" + body}
    istem = i[:-1] if i[-1] in "ويا" else i
    imp_forms |= {istem + "ون", istem + "وا", "ت" + istem[1:] + "ون", "ت" + istem[1:] + "ين"}
    imp_forms |= {i + "ان", "ت" + body + "ان"}  # dual: يدعوان، تدعوان، تدينان
    part_forms: set[str] = set()
    if participle != "-":  # "-": the participle is another word (مدينة، موقف، معين)
        part = fold(participle) if participle else "م" + body
        part_forms = {part + "ا", part + "ه"}
    # object pronouns on the 3rd person verb: أدانها، تتهمهم، حمّلها، اتهموه
    bases = {p, stem + "ت", i, "ت" + body, i + "ان", "ت" + body + "ان"}
    if not defective:  # (دعوه would be the noun دعوة)
        bases.add(stem + "و")
    objects = {f + o for f in bases for o in _AR_OBJECTS}
    out: set[str] = set()
    for f in past_forms | part_forms | objects:
        out |= {pre + f for pre in _AR_VERB_PREFIXES}
    for f in imp_forms:
        out |= {pre + f for pre in _AR_IMPERFECT_PREFIXES}
    return out


def ar_future_forms(imperfect: str) -> set[str]:
    """The future (س + imperfect) of an Arabic verb for every person, with و/ف: يعقد gives سيعقد،
    ستعقد، سنعقد، سأعقد، سيعقدون، وسيعقد ... (the bare imperfect and the past are other tenses: not included)."""
    i = fold(imperfect)
    if not i.startswith("ي") or len(i) < 3:
        raise RegistryError(f"reactions.toml: >{imperfect}: give the imperfect (ي...)")
    body = i[1:]
    stem = i[:-1] if i[-1] in "ويا" else i
    forms = {"ي" + body, "ت" + body, "ن" + body, "ا" + body, stem + "ون", "ت" + stem[1:] + "ون"}
    forms |= {f + o for f in list(forms) for o in _AR_OBJECTS}  # سندعمك، سنعاقبهم
    return {pre + "س" + f for f in forms for pre in ("", "و", "ف")}


def ar_noun_forms(noun: str) -> set[str]:
    """An Arabic noun's forms: with and without the article and the prepositions, possessive suffixes,
    the accusative alif and the feminine plural (إدانة: الإدانة، إدانتها، بإدانة، إدانات ...)."""
    n = fold(noun)
    if n.startswith("ال") and len(n) > 3:
        n = n[2:]
    if n.endswith("ه"):
        stem = n[:-1]
        bases = {n, stem + "ات"}
        suffixed = {stem + "ت" + s for s in _AR_SUFFIXES} | {stem + "ات" + s for s in _AR_SUFFIXES}
    else:
        bases = {n, n + "ات"}
        suffixed = {n + s for s in _AR_SUFFIXES} | {n + "ا"}
    out: set[str] = set()
    for b in bases:
        out |= {pre + b for pre in _AR_NOUN_PREFIXES}
        out |= {pre + b for pre in _AR_ARTICLE_PREFIXES if pre != "لل"}
        out.add("لل" + b)
    for f in suffixed:
        out |= {pre + f for pre in _AR_NOUN_PREFIXES}
    return out


# --- compiling the data ---------------------------------------------------------------------------


def tokens(folded: str) -> list[str]:
    """Word and punctuation tokens of folded, lower-cased text."""
    # the tokens _TOKEN finds, faster: no token spans white space, and a chunk of letters and digits
    # alone is one token; only chunks with punctuation go through the (slow on Arabic text) regex
    out: list[str] = []
    append = out.append
    for chunk in folded.split():
        if chunk.isalnum():
            append(chunk)
        elif chunk[:-1].isalnum() and not chunk[-1].isalnum() and chunk[-1] != "_":
            append(chunk[:-1])  # a word and one mark ("said,"): two tokens, as the regex reads it
            append(chunk[-1])
        else:
            out.extend(_TOKEN.findall(chunk))
    return out


def _word_forms(word: str, lang: str, rule: str) -> list[set[str]]:
    """The token forms one pattern word stands for (a plain hyphenated word gives several tokens)."""
    if word.startswith("+"):
        alts = word[1:].split("|")
        if lang == "en":  # every alternative is a verb with its inflections
            forms = set()
            for a in alts:
                forms |= en_inflections(fold(a))
            return [forms]
        forms: set[str] = set()
        parts = alts[0].split("/")
        if len(parts) not in (2, 3):
            raise RegistryError(f"reactions.toml: {rule!r}: an Arabic verb is +PAST/IMPERFECT[/PARTICIPLE]")
        forms |= ar_verb_forms(*parts)
        for a in alts[1:]:
            forms |= {pre + fold(a) for pre in _AR_PLAIN_PREFIXES}
        return [forms]
    if word.startswith(">"):
        if lang != "ar":
            raise RegistryError(f"reactions.toml: {rule!r}: >IMPERFECT is for Arabic patterns")
        forms = set()
        for a in word[1:].split("|"):
            forms |= ar_future_forms(a.removeprefix(">"))
        return [forms]
    if word.startswith("*"):
        if lang != "ar":
            raise RegistryError(f"reactions.toml: {rule!r}: *noun is for Arabic patterns")
        forms = set()
        for a in word[1:].split("|"):
            forms |= ar_noun_forms(a.removeprefix("*"))
        return [forms]
    if any(a[:1] in ("*", "+", "?", "!", "~", ">") for a in word.split("|")[1:]):
        raise RegistryError(
            f"reactions.toml: {rule!r}: a marker applies to a whole word, not to one alternative"
        )
    alts = [fold(a) for a in word.split("|")]
    split = [tokens(a) for a in alts]
    if len(alts) == 1 and len(split[0]) > 1:
        return [{t} for t in split[0]]
    if any(len(s) != 1 for s in split):
        raise RegistryError(f"reactions.toml: {rule!r}: alternatives must be single words")
    if lang == "ar":
        return [{pre + s[0] for s in split for pre in _AR_PLAIN_PREFIXES}]
    return [{s[0] for s in split}]


def _compile_pattern(rule: str, lang: str, label: str | None, weak: bool) -> _Pattern:
    elements: list[_Element] = []
    for word in rule.split():
        if word == "~" or re.fullmatch(r"~\d+", word):
            elements.append(_Gap(int(word[1:]) if len(word) > 1 else DEFAULT_GAP))
            continue
        optional = word.startswith("?") and len(word) > 1
        keep = word.startswith("!") and len(word) > 1
        if keep and label is not None:
            raise RegistryError(f"reactions.toml: {rule!r}: !word is for senses")
        for forms in _word_forms(word[1:] if optional or keep else word, lang, rule):
            elements.append(_Slot(frozenset(forms), optional, keep))
    if not elements or not isinstance(elements[0], _Slot) or elements[0].optional:
        raise RegistryError(f"reactions.toml: {rule!r}: a pattern starts with a word")
    if isinstance(elements[-1], _Gap):
        raise RegistryError(f"reactions.toml: {rule!r}: a pattern ends with a word")
    single = len(elements) == 1 and not elements[0].keep
    nxt = elements[1] if len(elements) > 1 else None
    second = nxt.forms if isinstance(nxt, _Slot) and not nxt.optional and not elements[0].optional else None
    return _Pattern(label, rule, tuple(elements), weak, single, second)


def compile_rules(data: dict) -> dict[str, Rules]:
    """The rules of both languages from the parsed TOML; :class:`RegistryError` naming a bad entry."""
    order = tuple(str_list(data.get("order"), "reactions.toml: order", non_empty=True))
    if set(order) != set(LABELS) or len(order) != len(LABELS):
        raise RegistryError(f"reactions.toml: order must name each of {', '.join(LABELS)} once")
    default = data.get("default")
    if default not in LABELS:
        raise RegistryError("reactions.toml: default must be one of the labels")
    window = data.get("negation_window")
    if not isinstance(window, int) or window < 0:
        raise RegistryError("reactions.toml: negation_window must be a whole number")
    known = {"version", "order", "default", "negation_window", "negation", "senses", *LABELS}
    unknown = sorted(set(data) - known)
    if unknown:
        raise RegistryError(f"reactions.toml: unknown table or key {unknown[0]!r}")
    neg = data.get("negation", {})
    exempt = frozenset(fold(w) for w in str_list(neg.get("exempt", []), "reactions.toml: negation.exempt", non_empty=True))
    out = {}
    for lang in ("en", "ar"):
        patterns: list[_Pattern] = []
        for rule in str_list(data.get("senses", {}).get(lang, []), f"reactions.toml: senses.{lang}", non_empty=True):
            patterns.append(_compile_pattern(rule, lang, None, False))
        for label in LABELS:
            table = data.get(label, {})
            if not isinstance(table, dict):
                raise RegistryError(f"reactions.toml: [{label}] must be a table")
            for key in table:
                if key not in ("strong_en", "weak_en", "strong_ar", "weak_ar"):
                    raise RegistryError(f"reactions.toml: [{label}] has unknown key {key!r}")
            for strength in ("strong", "weak"):
                key = f"{strength}_{lang}"
                for rule in str_list(table.get(key, []), f"reactions.toml: {label}.{key}", non_empty=True):
                    patterns.append(_compile_pattern(rule, lang, label, strength == "weak"))
        by_first: dict[str, list[_Pattern]] = {}
        for p in patterns:
            first = p.elements[0]
            assert isinstance(first, _Slot)
            for form in first.forms:
                if form in by_first:
                    by_first[form].append(p)
                else:
                    by_first[form] = [p]
        negators: set[str] = set()
        for w in str_list(neg.get(lang, []), f"reactions.toml: negation.{lang}", non_empty=True):
            f = fold(w)
            negators |= {pre + f for pre in _AR_PLAIN_PREFIXES} if lang == "ar" else {f}
        out[lang] = Rules(
            order=order,
            default=default,
            by_first={k: tuple(v) for k, v in by_first.items()},
            negators=frozenset(negators),
            exempt=exempt,
            window=window,
        )
    return out


@lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> dict[str, Rules]:
    """The compiled rules from ``reactions.toml`` (or ``path``), cached."""
    src = Path(path) if path else DATA
    return compile_rules(read_toml(src))


# --- matching -------------------------------------------------------------------------------------


def _match(elements: tuple[_Element, ...], toks: list[str], k: int, i: int) -> tuple[int, ...] | None:
    """The token positions the words of ``elements[k:]`` take in the shortest match at token ``i``
    (gaps are not included), or None; a match of nothing is ``(i,)`` only at the end (its end marker)."""
    if k == len(elements):
        return (i,)
    el = elements[k]
    if isinstance(el, _Gap):
        j = i
        for _ in range(el.size + 1):
            got = _match(elements, toks, k + 1, j)
            if got is not None:
                return got
            if j >= len(toks) or toks[j] in _HARD_STOP:
                return None
            j += 1
        return None
    if i < len(toks) and toks[i] in el.forms:
        got = _match(elements, toks, k + 1, i + 1)
        if got is not None:
            return got if el.keep else (i, *got)
    if el.optional:
        return _match(elements, toks, k + 1, i)
    return None


def _negated(toks: list[str], start: int, rules: Rules) -> bool:
    for j in range(start - 1, max(-1, start - 1 - rules.window), -1):
        t = toks[j]
        if not (t[0].isalnum() or t[0] == "'"):
            return False
        if t in rules.negators and not (j + 1 < len(toks) and toks[j + 1] in rules.exempt):
            return True
    return False


def _scan(rules: Rules, toks: list[str]) -> list[tuple[int, int, _Pattern]]:
    """The cues of ``toks`` as ``(start, end, pattern)``: senses applied, longest cue per start token."""
    by_first = rules.by_first
    void: set[int] = set()
    found: dict[int, tuple[int, _Pattern]] = {}
    n = len(toks)
    # the tokens that begin a pattern, picked out in C (most tokens begin none)
    for i in compress(range(n), map(by_first.__contains__, toks)):
        nxt = toks[i + 1] if i + 1 < n else ""
        for p in by_first[toks[i]]:
            if p.single:
                got: tuple[int, ...] | None = (i, i + 1)
            elif p.second is not None and nxt not in p.second:
                continue
            else:
                got = _match(p.elements, toks, 0, i)
                if got is None:
                    continue
            end = got[-1]
            if p.label is None:
                void.update(got[:-1])
                continue
            old = found.get(i)
            if old is None or end > old[0] or (end == old[0] and old[1].weak and not p.weak):
                found[i] = (end, p)
    return [(i, end, p) for i, (end, p) in sorted(found.items()) if i not in void]


def _rules_and_tokens(text: str, lang: str, folded: str | None) -> tuple[Rules, list[str]]:
    rules = load_rules()["ar" if lang == "ar" else "en"]
    return rules, tokens(folded.lower() if folded is not None else fold(text))


def cues(text: str, lang: str, folded: str | None = None) -> list[Cue]:
    """Every cue in ``text`` that survives word senses, with its rule; negated ones are kept, marked."""
    rules, toks = _rules_and_tokens(text, lang, folded)
    return [
        Cue(p.label or "", p.rule, i, end, p.weak, _negated(toks, i, rules))
        for i, end, p in _scan(rules, toks)
    ]


def _decide(rules: Rules, live: list[tuple[str, bool]]) -> str:
    """The label of highest precedence among the strong cues, else among the weak ones, else the default."""
    for weak in (False, True):
        labels = {label for label, w in live if w is weak}
        if labels:
            return next(label for label in rules.order if label in labels)
    return rules.default


def reading(text: str, lang: str, folded: str | None = None) -> tuple[str, list[Cue], list[str]]:
    """The rules' reading of ``text``: the label they decide, every cue (negated ones included, marked)
    and the tokens (one scan, shared by :func:`explain` and the trained model's features)."""
    rules, toks = _rules_and_tokens(text, lang, folded)
    found = [
        Cue(p.label or "", p.rule, i, end, p.weak, _negated(toks, i, rules))
        for i, end, p in _scan(rules, toks)
    ]
    return _decide(rules, [(c.label, c.weak) for c in found if not c.negated]), found, toks


def explain(text: str, lang: str, folded: str | None = None) -> tuple[str, list[Cue]]:
    """The reaction type of ``text`` by the rules and the cues it was read from (negated ones included, marked)."""
    decided, found, _ = reading(text, lang, folded)
    return decided, found


def classify(text: str, lang: str, folded: str | None = None) -> str:
    """The reaction type of one statement (one of :data:`LABELS`).  ``lang``: ``ar`` or ``en``;
    ``folded``: ``fold(text)`` when the caller already has it (any case)."""
    rules, toks = _rules_and_tokens(text, lang, folded)
    live = [(p.label, p.weak) for i, _, p in _scan(rules, toks) if not _negated(toks, i, rules)]
    return _decide(rules, live)  # type: ignore[arg-type]
