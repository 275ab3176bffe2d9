"""Constructions: each reporting verb (or "according to", "نقلت ... عن", a headline colon ...) paired
with its subject."""

from __future__ import annotations

from dataclasses import dataclass

from .mentions import NP
from .registry import Lexicon, Registry
from .text import Token
from .units import QUOTE

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
    [
        "بعد",
        "قبل",
        "مع",
        "عقب",
        "اثر",
        "لقاء",
        "لقايه",
        "لقايها",
        "اجتماع",
        "اجتماعه",
        "اجتماعها",
        "الذي",
        "التي",
    ]
    + ["التقي", "التقت", "استقبل", "استقبلت", "عن", "ضد"]
)
_AR_VENUE = frozenset(
    [
        "افاده",
        "صحفيه",
        "صحافيه",
        "صحفي",
        "صحافي",
        "موتمر",
        "بيان",
        "مقابله",
        "تغريده",
        "حديث",
        "تصريحات",
        "كلمه",
    ]
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
_AR_SOURCE_NOUNS = frozenset(["تقرير", "بيان", "تغريده", "رساله", "وثيقه", "مذكره", "تقييم", "منشور", "بلاغ"])


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


_AFTER_SAID_X = frozenset(
    [
        "on",
        "in",
        "at",
        "during",
        "after",
        "before",
        "while",
        "last",
        "this",
        "today",
        "yesterday",
        "late",
        "early",
    ]
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


def _clause_initial(view: list[Token], i: int) -> bool:
    """Does the phrase at ``i`` open its clause (text start, or after a comma, dash, quote or colon)?"""
    while i > 0 and view[i - 1].low in ("the", "a", "an"):
        i -= 1
    return i == 0 or view[i - 1].low in (",", QUOTE, ":", "-", "(")


class ConstructionsMixin:
    """Pairing verbs with subjects (mixed into the per-text state)."""

    reg: Registry
    lex: Lexicon
    day: str

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
            if tok.ar:
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
                if low in _EN_ISSUE and any(
                    t.low in ("statement", "statements") for t in view[k + 1 : k + 4]
                ):
                    # "the Defense Department later issued a statement saying ..." (not "issued guidance")
                    subj = self._en_subject(view, nps, ends, k)
                    if subj is not None and subj.kind == "np" and subj.np and subj.np.status == "tracked":
                        out.append(Pair(k, "en", subj))
                    elif subj is not None and (
                        subj.kind == "unknown" or (subj.np and subj.np.status == "other")
                    ):
                        out.append(Pair(k, "weak-other", Subject("unknown")))
                    continue
                v = lex.verbs.get(low)
                if v is None or v[1] != "en" or low in lex.en_participles:
                    if v is not None and low in lex.en_participles:
                        participles.append(Pair(k, "participle", Subject("pronoun")))
                    continue
                if low in ("called", "calls", "call") and not (
                    k + 1 < n
                    and (view[k + 1].low in ("on", "for", "upon") or _quote_before_break(view, k + 1, k + 9))
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
        elif j >= n or view[j].low in lex.ar_no_subject or view[j].low == QUOTE or not view[j].ar:
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

    def _kana_subject(self, view: list[Token], nps: dict[int, NP], k: int) -> bool:
        """Pluperfect "وكان <words> (قد) <verb>" whose subject words name no registry phrase."""
        if k < 2:
            return False
        e = k - 1 if view[k - 1].low == "قد" else k  # the subject words end before "قد" (if any)
        for c in range(e - 1, max(-1, e - 8), -1):
            low = view[c].low
            if low in _AR_KANA:
                clause_initial = c == 0 or view[c - 1].low in ("،", ",", "؛", ";", ".", ":")
                return (e < k or clause_initial) and c < e - 1 and not any(q in nps for q in range(c + 1, e))
            if not view[c].ar or low in self.lex.ar_complementizers or low in _AR_SV_GAP:
                return False
        return False

    def _name_follows(self, view: list[Token], j: int) -> bool:
        """Does an unknown word (most likely a name) follow position ``j``?"""
        if j >= len(view):
            return False
        tok = view[j]
        low = tok.low
        lex = self.lex
        if not tok.ar:
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
                    after.j >= len(view)
                    or view[after.j].low in _AFTER_SAID_X
                    or not view[after.j].low.isalpha()
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
