"""Constructions: each reporting verb (or "according to", "نقلت ... عن", a headline colon ...) paired
with its subject."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .mentions import NP
from .registry import SUBJECT_FINDERS, Construction, Lexicon, Registry
from .text import Token, fold, one_edit
from .units import QUOTE


@dataclass
class Subject:
    kind: str  # np | pronoun | unknown
    np: NP | None = None
    gender: str = ""
    how: str = ""  # where it was found: vs, sv, pronoun, apposition, aside, said-x, document, ...
    quoted: bool = False  # a pronoun right after a closing quotation ('"...," she said')


@dataclass
class Pair:
    k: int  # verb index in the view
    verb_kind: str  # according (a source), weak-other (someone else acts), or the construction's form
    subject: Subject
    rule: str = ""  # the construction's name, "/" and how its subject was found


_NAME_MARKS = frozenset('"«»“”')


@functools.lru_cache(maxsize=8192)
def _surname(name: str, arabic: bool) -> str:
    """The last word of a registry name, folded (Arabic) or lower-case: read once per name, not once per
    look at a word."""
    return fold(name).split()[-1] if arabic else name.split()[-1].lower()
_RELATIVE_GENDER = {"الذي": "m", "التي": "f"}  # (folded) relative pronouns between a subject and its verb


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


def _capitalised_start(view: list[Token], i: int, titles: frozenset[str]) -> int:
    """Where the capitalised or title words right before the phrase at ``i`` begin ("Foreign Secretary
    Dominic Raab, said", "Foreign secretary Dominic Raab, said": a title not grouped with the name)."""
    s = i
    while (
        s > 0
        and i - s < 4
        and view[s - 1].low.isalpha()
        and (view[s - 1].case[:1].isupper() or view[s - 1].low in titles)
    ):
        s -= 1
    return s


class ConstructionsMixin:
    """Pairing verbs with subjects (mixed into the per-text state)."""

    reg: Registry
    lex: Lexicon
    day: str
    unknown_names: dict[str, tuple[str, frozenset[str]]]

    # --- verbs and subjects -----------------------------------------------------------------------
    def pairs(self, view: list[Token], nps: dict[int, NP]) -> list[Pair]:
        """Every construction of the table found in the view, paired with its subject."""
        index = self.reg.construction_index
        covered = set()
        ends: dict[int, NP] = {}
        for np_ in nps.values():
            covered.update(range(np_.i, np_.j))
            ends[np_.j] = np_
        out: list[Pair] = []
        participles: list[Pair] = []
        n = len(view)
        for k, tok in enumerate(view):
            if k in covered or tok.low == QUOTE:
                continue
            cons = index.get(tok.low)
            if cons is None:
                continue
            lang = "ar" if tok.ar else "en"
            for con in cons:
                if con.lang != lang and con.lang != "any":
                    continue
                if con.follows and not (k + 1 < n and view[k + 1].low == con.follows):
                    continue
                if con.near and not any(t.low in con.near for t in view[k + 1 : k + 4]):
                    continue
                # the first construction whose trigger words match claims the word (unless it falls
                # through to the next one when it finds no subject)
                pair = _FINDERS[con.subject](self, view, nps, ends, k, con)
                if pair is None and con.fallthrough:
                    continue
                if (
                    pair is not None
                    and tok.ar
                    and k >= 2
                    and view[k - 1].low == "ما"
                    and view[k - 2].low in self.lex.w.ar_according
                ):
                    # "..., وفق ما نقلت رويترز", "بحسب ما أعلنت الوزارة": a source, not the clause's speaker
                    pair.verb_kind = "according"
                if pair is not None:
                    if not pair.rule:
                        how = pair.subject.how
                        pair.rule = f"{con.name}/{how}" if how else con.name
                    (participles if con.role == "continuation" else out).append(pair)
                break
        if not out and participles and participles[0].k <= 2:
            out.append(participles[0])
        return out

    # --- subject finders: one per value of `subject` in constructions.toml ------------------------
    def _find_opening_phrase(
        self, view: list[Token], nps: dict[int, NP], ends: dict[int, NP], k: int, con: Construction
    ) -> Pair | None:
        """Headline "بلينكن: ...", "بومبيو لكوريا الشمالية: ...", "#عاجل | مبعوث ... للجزيرة: ...": the
        phrase opening the unit (after a breaking-news label), then at most five words that are neither
        verbs nor other phrases, then the colon.  Or "<words>: <body>" closing the unit."""
        w = self.lex.w
        p = 0
        for c in range(k - 1, 0, -1):
            # an outlet's or section's label with a colon of its own before the headline ("الوقائع
            # الإخبارية : الخارجية البريطانية: ..."): the headline starts after it
            if view[c].low == ":":
                if c <= 4 and not any(q in nps or view[q].low in self.lex.verbs for q in range(c)):
                    p = c + 1
                break
        while p < k and (
            view[p].low in w.headline_labels or not view[p].low.isalnum() or view[p].low.isdigit()
        ):
            p += 1  # (also a wire's "إعادة-" and a dateline's digits)
        title_words = 0  # "مبعوث الخارجية الأمريكية للجزيرة:": a title word before the body's name
        while p < k and p not in nps and title_words < 2 and view[p].ar and view[p].low not in self.lex.verbs:
            p += 1
            title_words += 1

        def plain(t: Token) -> bool:
            mark = t.low == QUOTE and t.end - t.start == 1  # a quotation mark around the name itself
            return mark or (t.low not in self.lex.verbs and t.low != QUOTE and t.low not in (",", "،"))

        first = nps.get(p)
        if first is not None and first.status != "anaphor" and first.j <= k and k - first.j <= 5:
            gap = view[first.j : k]
            addressed = (
                not gap or gap[0].low in w.headline_preps or (gap[0].ar and gap[0].low.startswith("ل"))
            )
            marks = all(t.low == QUOTE and t.end - t.start == 1 for t in gap)
            if (
                (addressed or marks)
                and all(plain(t) for t in gap)
                and not any(q in nps for q in range(first.j, k))
            ):
                return Pair(k, "colon", Subject("np", first, how="opening" if gap else ""))
        last = nps.get(k + 1)
        if last is not None and last.status == "tracked" and all(not t.low.isalnum() for t in view[last.j :]):
            if k >= 3 and not any(t.low in self.lex.verbs for t in view[:k]):
                return Pair(k, "colon", Subject("np", last, how="closing"))  # "Aid will go on: Pentagon"
        return None

    def _find_closing_phrase(
        self, view: list[Token], nps: dict[int, NP], ends: dict[int, NP], k: int, con: Construction
    ) -> Pair | None:
        """Headline "US to provide more aid to Ukraine - Pentagon", "... escalates -PM's spokesman": a
        tracked phrase right after the trigger closes the unit, after at least three words of its own."""
        last = nps.get(k + 1)
        if last is None or last.status != "tracked" or any(t.low.isalnum() for t in view[last.j :]):
            return None
        if sum(t.low.isalnum() for t in view[:k]) < 3 or any(t.low == "-" for t in view[k + 1 : last.i]):
            return None
        return Pair(k, "closing", Subject("np", last, how="closing"))

    def _find_en_headline(
        self, view: list[Token], nps: dict[int, NP], ends: dict[int, NP], k: int, con: Construction
    ) -> Pair | None:
        """A headline (``headline_zone``: a line without a full stop near the text's start, after nothing
        but such lines) opening with a tracked phrase and one of the headline verbs right after it: "Pentagon sees strategy in Russia's troop moves", "Hegseth outlines
        priorities after being sworn in" (in running text these verbs are no speech)."""
        np_ = ends.get(k)
        if np_ is None or np_.status != "tracked" or not view:
            return None
        i = np_.i
        while i > 0 and view[i - 1].low in ("the", "a", "an"):
            i -= 1
        if i != 0 or not self.headline_zone(view[0].start):
            return None
        return Pair(k, "headline", Subject("np", np_, how="sv"))

    def _find_after(
        self, view: list[Token], nps: dict[int, NP], ends: dict[int, NP], k: int, con: Construction
    ) -> Pair | None:
        """ "according to X", "بحسب بيان صادر عن X", "وجاء في بيان للخارجية"."""
        j = k + (2 if con.follows else 1)
        np_ = self._np_after(view, nps, j, con.skip)
        how = ""
        if np_ is None and not view[k].ar:
            np_ = self._document_source(view, nps, j)
            how = "document"
        if np_ is None:
            return None
        return Pair(k, "according" if con.role == "source" else "past", Subject("np", np_, how=how))

    def _document_source(self, view: list[Token], nps: dict[int, NP], j: int) -> NP | None:
        """ "according to the most recent annual report on ARRW from the Pentagon's ...": a document
        (within eight words) and its author after "from"/"by"."""
        w = self.lex.w
        n = len(view)
        for q in range(j, min(n, j + 8)):
            if view[q].low in w.en_documents:
                for r in range(q + 1, min(n, q + 6)):
                    low = view[r].low
                    if low in ("from", "by"):
                        if r + 1 not in nps and r + 2 < n and view[r + 1].low in ("the", "a", "an"):
                            return nps.get(r + 2)
                        return nps.get(r + 1)
                    if not low.isalnum():
                        return None
                return None
            if not view[q].low.isalnum() or view[q].low in self.lex.verbs:
                return None
        return None

    def _find_relayed(
        self, view: list[Token], nps: dict[int, NP], ends: dict[int, NP], k: int, con: Construction
    ) -> Pair | None:
        """ "ونقلت وكالة رويترز عن مسؤول في الخارجية الأمريكية قوله"; without "عن X" someone else speaks."""
        n = len(view)
        subj = Subject("unknown")
        q = k + 1
        while q < min(n, k + 12):
            if view[q].low == QUOTE and any(
                view[r].low == "عن" and all(t.ar and t.low.isalpha() for t in view[q + 1 : r])
                for r in range(q + 1, min(n, q + 4))
            ):
                # a quoted agency name, maybe with an adjective: 'ونقلت صحيفة "بوليتيكو" المحلية عن ...'
                q += 1
                continue
            if view[q].low in ("عن", QUOTE, ":") or view[q].low in self.lex.ar_complementizers:
                np_ = nps.get(q + 1) if view[q].low == "عن" else None
                if np_ is not None:
                    subj = Subject("np", np_, how="an")
                elif (first := nps.get(k + 1)) is not None and first.status == "tracked" and not first.clitic:
                    # "ونقلت المتحدثة باسم المفوضية X "قلق المفوضة ..."": a tracked speaker conveying words
                    subj = Subject("np", first, how="vs")
                break
            q += 1
        return Pair(k, "past", subj)

    def _find_none(
        self, view: list[Token], nps: dict[int, NP], ends: dict[int, NP], k: int, con: Construction
    ) -> Pair | None:
        """A participle ("مؤكدا", "adding") continues the sentence's subject or the speaker."""
        v = self.lex.verbs.get(view[k].low)
        gender = v[0] if v is not None and view[k].ar else ""
        return Pair(k, "participle", Subject("pronoun", gender=gender, how="pronoun"))

    def _find_en_participle(
        self, view: list[Token], nps: dict[int, NP], ends: dict[int, NP], k: int, con: Construction
    ) -> Pair | None:
        """ "..., with Secretary Blinken saying ...": the phrase right before the participle speaks; "The
        Pentagon struck down the proposal, saying ...": the tracked subject that opens the sentence speaks
        (nothing between it and the participle opening another clause: "who", "after", "by", ";" ...)."""
        np_ = ends.get(k)
        if np_ is not None and np_.status == "tracked":
            o = np_.i
            while o > 0 and view[o - 1].low in ("the", "a", "an"):
                o -= 1
            if o > 0 and view[o - 1].low == "with":
                return Pair(k, "en", Subject("np", np_, how="with"))
        if k < 3 or view[k - 1].low != ",":
            return None
        w = self.lex.w
        p = 0
        while p < k and p not in nps and view[p].low in w.en_clause_openers:
            p += 1
        first = nps.get(p)
        if first is None or first.status != "tracked" or first.j >= k - 1:
            return None
        if first.j < len(view) and view[first.j].low == "'s":
            return None  # "The Pentagon's budget ..., saying": the body is not the subject
        for q in range(first.j, k - 1):
            low = view[q].low
            if low in w.en_clause_breakers or low in self.lex.verbs and low not in self.lex.en_weak:
                return None  # another clause, a passive's agent, or a reporting verb with its own subject
            other = nps.get(q)
            if other is not None and other.status != "anaphor" and other.speaker != first.speaker:
                nxt = view[other.j].low if other.j < len(view) else ""
                if view[q - 1].low not in w.en_object_before and (
                    nxt in self.lex.verbs
                    or nxt in w.en_auxiliaries
                    or (
                        nxt.isalpha()
                        and (nxt.endswith("ed") or (nxt.endswith("s") and not nxt.endswith("ss")))
                    )
                ):
                    return None  # "... after Iran fired ..., saying": someone else may be the subject
        return Pair(k, "en", Subject("np", first, how="sentence-subject"))

    def _find_ar_masdar(
        self, view: list[Token], nps: dict[int, NP], ends: dict[int, NP], k: int, con: Construction
    ) -> Pair | None:
        subj = self._ar_masdar_subject(view, nps, k, view[k].low)
        return None if subj is None else Pair(k, "masdar", subj)

    def _find_ar_weak_object(
        self, view: list[Token], nps: dict[int, NP], ends: dict[int, NP], k: int, con: Construction
    ) -> Pair | None:
        """ "قدمت الخارجية تعازيها", "نشرت الوزارة بيانا" (not "نشرت الوزارة مدمرات": an action)."""
        np_ = nps.get(k + 1)
        if (
            np_ is not None
            and np_.status in ("tracked", "anaphor")  # (an anaphor: "ووجهت متحدثة باسم الوزارة انتقادات")
            and not np_.clitic
            and self._speech_object(view, np_.j)
        ):
            return Pair(k, "past", Subject("np", np_, self.lex.verbs[view[k].low][0], how="vs"))
        return None

    def _not_asserted(self, view: list[Token], k: int, nps: dict[int, NP] | None = None) -> bool:
        """A verb negated ("ولم تقل", "لم يتحدث") or in a conditional or indirect question ("فإذا كان
        كيري يقول", "عما إذا كانت الوزارة ترى") in its own clause: no statement (except stances such as
        "لم يستبعد", which state something).  A subject joined by و opens a clause of its own
        ("البنتاغون لا يريد تصعيدا وبلينكن يتحدث عن ...")."""
        w = self.lex.w
        for q in range(k - 1, max(-1, k - 8), -1):
            low = view[q].low
            if low in ("،", ",", "؛", ";", ":", QUOTE) or low in self.lex.ar_complementizers:
                return False
            if nps is not None and q in nps and nps[q].clitic.startswith("و"):
                return False
            if low in w.ar_hypothetical:
                return True
            if low in w.ar_negations:
                return view[k].low not in w.ar_negated_stances
        return False

    def _says_nothing(self, view: list[Token], k: int) -> bool:
        """A verb of talking with nothing said after it in the sentence ("X يتحدث على خشبة المسرح",
        "تحدث مع السفير"), "رد" with nothing answered ("ورد إيران ضد دول": a noun), a byline ("كتب :
        وكالات"), a verb that speaks only before a colon or quotation without one ("زاد عدد القتلى"), or
        words after the verb that give it another sense ("يبلغ من العمر"): no statement."""
        w = self.lex.w
        low = view[k].low
        nxt = " ".join(t.low for t in view[k + 1 : k + 3])
        if any(nxt == p or nxt.startswith(p + " ") for p in w.ar_not_speech_after):
            return True  # "يبلغ من العمر 57 عاما", "تبلغ من العمر": reaches an age, informs nobody
        if low in w.ar_speech_only_verbs:
            # a colon, a quotation or "أن" within a few words, before another clause ('وزاد: "..."', "وبين
            # بلينكن أن ..."; not "زاد عدد القتلى", "بين البلدين")
            for t in view[k + 1 : k + 7]:
                if t.low in (":", QUOTE) or t.low in self.lex.ar_complementizers:
                    return False
                if t.low in (".", "؛", ";") or t.low in self.lex.verbs:
                    return True
            return True
        if low in w.ar_byline_verbs:
            rest = view[k + 1 :]
            return (
                bool(rest)
                and rest[0].low in (":", "-", "/")
                and len(rest) <= 5
                and not any(t.low == QUOTE or t.low in self.lex.verbs for t in rest)
            )
        if low in w.ar_talk_verbs:
            content = w.ar_talk_content
        elif low in w.ar_reply_verbs:
            content = w.ar_reply_content
        else:
            return False
        for t in view[k + 1 :]:
            if t.low in (".", "؛", ";"):
                break
            if (
                t.low == QUOTE
                or t.low in content
                or t.low in self.lex.ar_complementizers
                or t.low in self.lex.verbs
            ):
                return False
        return True

    def _find_ar_verb(
        self, view: list[Token], nps: dict[int, NP], ends: dict[int, NP], k: int, con: Construction
    ) -> Pair | None:
        if self._not_asserted(view, k, nps) or self._says_nothing(view, k):
            return None
        if (
            k >= 2
            and view[k].low.startswith("و")
            and view[k].low[1:] in self.lex.verbs  # (و a clitic: not "وصف" itself)
            and view[k - 2].low in self.lex.w.ar_prepositions
            and view[k - 1].ar
            and (k - 1) not in nps
            and view[k - 1].low not in self.lex.verbs
        ):
            return None  # "في رصد وكشف عمليات التهريب": a noun joined to the noun before, not a verb
        gender = self.lex.verbs[view[k].low][0]
        subj = self._ar_subject(view, nps, ends, k, gender, "past")
        return None if subj.how == "embedded" else Pair(k, "past", subj)

    def _find_ar_present(
        self, view: list[Token], nps: dict[int, NP], ends: dict[int, NP], k: int, con: Construction
    ) -> Pair | None:
        if self._not_asserted(view, k, nps) or self._says_nothing(view, k):
            return None
        gender = self.lex.verbs[view[k].low][0]
        subj = self._ar_subject(view, nps, ends, k, gender, "imperfect")
        if (
            subj.kind == "np"
            and subj.np is not None
            and subj.np.i > 0
            and view[subj.np.i - 1].low in self.lex.w.ar_kana
        ):
            return None  # "وكان بومبيو يتحدث عن ...": what someone was doing, not a statement
        # "ويقول", "ولم يستبعد", "وفي هذا الإطار، يقول X", "بينما يقول X"
        opens = all(view[q].low in self.lex.w.ar_negations for q in range(k)) or (
            view[k - 1].low in ("،", ",") or view[k - 1].low in self.lex.w.ar_present_openers
        )
        if not (subj.kind == "np" and subj.np is not None and (subj.np.j <= k or opens)):
            return None  # present tense: "<speaker> <verb>" headlines, or a sentence opening "ويقول X"
        return Pair(k, "imperfect", subj)

    def _find_en_quoted(
        self, view: list[Token], nps: dict[int, NP], ends: dict[int, NP], k: int, con: Construction
    ) -> Pair | None:
        """ "X was quoted as saying", "Reuters quoted a Pentagon spokesman as saying"."""
        if k >= 2 and view[k - 1].low in ("was", "were") and (k - 1) in ends:
            return Pair(k, "en", Subject("np", ends[k - 1], how="sv"))
        np_ = self._np_after(view, nps, k + 1, self.lex.w.en_source_skip)
        return None if np_ is None else Pair(k, "en", Subject("np", np_, how="object"))

    def _find_en_issued(
        self, view: list[Token], nps: dict[int, NP], ends: dict[int, NP], k: int, con: Construction
    ) -> Pair | None:
        """ "the Defense Department later issued a statement saying ..."."""
        subj = self._en_subject(view, nps, ends, k)
        if subj is not None and subj.kind == "np" and subj.np and subj.np.status == "tracked":
            return Pair(k, "en", subj)
        if subj is not None and (subj.kind == "unknown" or (subj.np and subj.np.status == "other")):
            return Pair(k, "weak-other", Subject("unknown"))
        return None

    def _find_en_verb(
        self, view: list[Token], nps: dict[int, NP], ends: dict[int, NP], k: int, con: Construction
    ) -> Pair | None:
        low = view[k].low
        n = len(view)
        if low in self.lex.w.en_action_verbs:
            q = k + 1
            while q < n and view[q].low in ("the", "a", "an", "his", "her", "their", "its"):
                q += 1
            if q < n and view[q].low in self.lex.w.en_action_objects:
                return None  # "denied the request", "dismissed hundreds of members": an act, not words
        speech_only = low in self.lex.w.en_speech_only_verbs and (
            (k + 1 < n and view[k + 1].low in (":", QUOTE, "that"))
            or any(t.low == QUOTE for t in view[max(0, k - 3) : k])
        )
        if low in self.lex.w.en_speech_only_verbs and not speech_only and low not in self.lex.en_weak:
            return None  # "the strikes continued", "he continued to press for talks": no speech
        if low in ("called", "calls", "call") and not (
            k + 1 < n
            and (view[k + 1].low in ("on", "for", "upon") or _quote_before_break(view, k + 1, k + 14))
        ):
            return None  # "Blinken called his Turkish counterpart": a phone call, not a statement
        if k > 0 and view[k - 1].low in ("who", "which", "whom"):
            return None  # "an official who said ...": embedded speech, not the sentence's speaker
        if low in self.lex.w.en_content_verbs and not any(
            t.low in ("that", ":", QUOTE) for t in view[k + 1 : k + 8]
        ):
            # "Mattis and Dunford briefed the media shortly after ...": an event; what was said must follow
            # ("briefed reporters that ...") or come before it ("..., Kirby briefed reporters on Friday.")
            s0 = k
            while s0 > 0 and view[s0 - 1].low not in (",", QUOTE, ":", ";"):
                s0 -= 1
            if s0 == 0:
                return None
        if k > 0 and view[k - 1].low == "to" and low in self.lex.w.en_base_forms:
            return None  # "travelled to Cairo to urge restraint": an infinitive has no subject of its own
        b = k - 1 if k > 1 and view[k - 1].low.endswith("ly") else k
        if b > 0 and view[b - 1].low in self.lex.w.en_passive_be and low != "quoted":
            return None  # "The State Department was criticised by ...": a passive's subject says nothing
        m = b - 1
        negated = False
        while m > 0 and view[m].low in ("have", "not", "also", "never", "be"):
            negated = negated or view[m].low in ("not", "never")
            m -= 1
        future = False
        if m >= 0 and view[m].low in self.lex.w.en_modals and view[m].case.islower() and not negated:
            if view[m].low not in self.lex.w.en_modals_said:
                # "would have assured access", "could say": what might be, not what was said ("would not
                # say" is a refusal, said)
                return None
            future = True  # "he will urge leaders to ...": a speech announced in advance
        subj = self._en_subject(view, nps, ends, k)
        if subj is None:
            return None
        if future and not (
            subj.kind == "pronoun"
            or (subj.kind == "np" and subj.np is not None and _clause_initial(view, subj.np.i))
        ):
            return None  # "Officials expect the State Department will announce ...": someone else's forecast
        if subj.kind == "unknown" or (
            subj.kind == "np" and subj.np is not None and subj.np.status == "other"
        ):
            both = self._coordinated(view, ends, subj, k)
            if both is not None:
                subj = both
        if (
            low in self.lex.en_weak
            and not speech_only  # (beside a quotation any subject may say it: '"...," he responded')
            and not (subj.kind == "np" and subj.np and subj.np.status == "tracked")
            # ("He highlighted the military's preparedness": a pronoun opening the sentence goes on with the
            # tracked speaker, if one is current)
            and not (subj.kind == "pronoun" and b == 1 and low not in self.lex.w.en_weak_acts)
        ):
            if subj.kind == "unknown" or (subj.kind == "np" and subj.np and subj.np.status == "other"):
                return Pair(k, "weak-other", Subject("unknown"))  # someone else acts: a new topic
            return None
        return Pair(k, "en", subj)

    def _coordinated(self, view: list[Token], ends: dict[int, NP], subj: Subject, k: int) -> Subject | None:
        """ "Secretary of State Mike Pompeo and Treasury Secretary Steven Mnuchin said", "The Pentagon,
        State Department, and FBI said": a tracked phrase opening a coordinated subject speaks too."""
        if subj.np is not None:
            s = subj.np.i
        else:
            s = k
            while s > 0 and k - s < 6 and view[s - 1].case[:1].isupper() and view[s - 1].low.isalpha():
                s -= 1
        while s > 0 and view[s - 1].low in ("the", "a", "an"):
            s -= 1
        if s < 2 or view[s - 1].low != "and":
            return None
        e = s - 1
        if view[e - 1].low == ",":
            e -= 1
        first = None
        while e in ends:
            np_ = ends[e]
            if np_.status == "tracked":
                first = np_
            e = np_.i
            while e > 0 and view[e - 1].low in ("the", "a", "an"):
                e -= 1
            if e > 0 and view[e - 1].low == ",":
                e -= 1
                continue
            break
        if first is None or not (e == 0 or view[e - 1].low in (",", QUOTE, ":")):
            return None
        return Subject("np", first, how="coordinated")

    def note_unknown_names(self, view: list[Token], nps: dict[int, NP], pairs: list[Pair]) -> None:
        """Remember the surname of someone the registry lacks, named after a tracked title that speaks
        ("قال المتحدث باسم البنتاغون ... الكولونيل كونيه فولكنر إن ..."): a later "وأوضح فولكنر أن" is the
        same body's.  The name is the two words before what ends the subject ("إن", a comma, a colon)."""
        lex = self.lex
        for p in pairs:
            np_ = p.subject.np
            if np_ is None or np_.status != "tracked" or np_.person is not None or p.subject.how != "vs":
                continue
            e = next(
                (
                    q
                    for q in range(np_.j, min(len(view), np_.j + 10))
                    if view[q].low in lex.ar_complementizers or view[q].low in ("،", ",", ":", QUOTE)
                ),
                None,
            )
            if e is None or e - 2 < np_.j:
                continue
            run = view[e - 2 : e]
            if all(
                t.ar
                and (e - 2 + r) not in nps
                and not any(o.i <= e - 2 + r < o.j for o in nps.values())
                and not t.low.startswith("ال")
                and t.low not in lex.ar_fillers
                and t.low not in lex.ar_no_subject
                and t.low not in lex.verbs
                and t.low not in self.lex.w.ar_not_names
                for r, t in enumerate(run)
            ):
                self.unknown_names.setdefault(run[-1].low, (np_.speaker or "", np_.genders))

    def _misspelled(self, view: list[Token], q: int) -> NP | None:
        """A one-letter misspelling ("بوميو", "Pomepo") of the surname of someone already named in full
        in this text, while they hold a tracked post."""
        if q < 0 or q >= len(view):
            return None
        tok = view[q]
        word = tok.low
        if len(word) < 4 or not (tok.ar or tok.case[:1].isupper()) or word in self.lex.verbs:
            return None
        # every person of the text whose surname is one edit away: two (a set's order varies with the hash seed)
        # would make the answer depend on the process, so a misspelling that fits two people names nobody
        found = [pid for pid in sorted(self.doc_persons)
                 if any(len(last) >= 5 and last != word and one_edit(word, last)
                        for last in (_surname(name, tok.ar) for name in (
                            self.reg.persons[pid].names_ar if tok.ar else self.reg.persons[pid].names_en)))]
        if len(found) != 1:
            return None
        person = self.reg.persons[found[0]]
        post = person.post_on(self.day)
        if post is None or not self.reg.is_tracked(post.speaker):
            return None
        return NP(
            q,
            q + 1,
            "tracked",
            post.speaker,
            found[0],
            frozenset({person.gender}),
            personlike=True,
            named=True,
        )

    def _name_for(self, view: list[Token], ends: dict[int, NP], np_: NP, o: int) -> NP | None:
        """ "Liz Throssell for the Office of the United Nations High Commissioner for Human Rights said",
        "Rupert Colville, for OHCHR, read": a name opening the clause, then "for" a tracked body (the UN
        briefings' way of naming a spokesperson).  The body speaks; the person is the name's."""
        if np_.status != "tracked" or o < 2 or view[o - 1].low != "for":
            return None
        e = o - 2 if view[o - 2].low == "," else o - 1
        person = ends.get(e)
        if person is not None:
            if person.status != "tracked" or person.speaker != np_.speaker or not person.named:
                return None
            start, pid = person.i, person.person
        else:
            start = e
            while (
                start > 0
                and e - start < 4
                and view[start - 1].case[:1].isupper()
                and view[start - 1].low.isalpha()
            ):
                start -= 1
            if start == e or any(
                t.low in self.lex.verbs or t.low in self.lex.en_fillers for t in view[start:e]
            ):
                return None
            pid = "-".join(t.low for t in view[start:e])
        if not (start == 0 or view[start - 1].low in (",", QUOTE, ":", "-", "(")):
            return None
        return NP(start, np_.j, "tracked", np_.speaker, pid, np_.genders, personlike=True, named=True)

    def _title_then_name(self, view: list[Token], ends: dict[int, NP], b: int) -> NP | None:
        """ "State Department spokesperson Jane Doe said": a tracked body's title, then a name the
        registry lacks (one to four capitalised words ending at ``b``).  The body speaks; the person is
        the name's slug."""
        e = b
        while e > 0 and b - e < 5 and e not in ends:
            t = view[e - 1]
            if t.low == "." and e >= 2 and len(view[e - 2].case) == 1 and view[e - 2].case.isupper():
                e -= 1  # a middle initial: "Mark C. Toner"
                continue
            if not (t.case[:1].isupper() and (t.low.isalpha() or t.low.rstrip(".").isalpha())):
                return None
            if (
                t.low in self.lex.verbs
                or t.low in self.lex.en_fillers
                or t.case.isupper()
                and len(t.case) > 1
            ):
                return None
            e -= 1
        np_ = ends.get(e)
        if e == b or np_ is None or np_.status != "tracked" or np_.person is not None or not np_.personlike:
            return None
        words = [t.case.rstrip(".") for t in view[e:b] if len(t.case.rstrip(".")) > 1]
        if not words:
            return None
        slug = "-".join(w.lower() for w in words)
        return NP(np_.i, b, "tracked", np_.speaker, slug, np_.genders, personlike=True, named=True)

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
        if (
            k > 0
            and (view[k - 1].low in self.lex.w.ar_object_gap or view[k - 1].low in self.lex.verbs)
            and not any(t.low in self.lex.ar_complementizers for t in view[k + 1 : k + 14])
        ):
            # "جدل بعد بيان الخارجية بشأن ...", "الأونروا تنتقد تصريحات روبيو": the words are a topic
            # (not "بعد إعلان المتحدث ... أن ...": what was announced follows)
            return None
        j = k + 1
        skipped = 0
        while j < len(view) and j not in nps and view[j].low in self.lex.w.ar_masdar_skip and skipped < 3:
            j += 1
            skipped += 1
        np_ = nps.get(j)
        if np_ is None:
            return None
        base = (
            low[1:]
            if low.startswith(("ب", "و")) and low[1:] in self.lex.w.ar_needs_comp | {"بيان", "تغريده"}
            else low
        )
        if base in self.lex.w.ar_needs_comp or np_.status == "anaphor":
            # (also "بيان الحكومة" through an anaphor: "بيان الحكومة اليوم هو جزء من ..." describes it)
            comp = self.lex.ar_complementizers
            if not any(t.low in comp or t.low == QUOTE for t in view[np_.j : np_.j + 12]):
                return None
        return Subject("np", np_, how="vs")

    def _ar_subject(
        self, view: list[Token], nps: dict[int, NP], ends: dict[int, NP], k: int, gender: str, kind: str
    ) -> Subject:
        lex = self.lex
        n = len(view)
        j = k + 1
        if (
            j + 1 < n
            and view[j].low in _NAME_MARKS
            and (j + 1) in nps
            and nps[j + 1].j < n
            and view[nps[j + 1].j].low in _NAME_MARKS
        ):
            j += 1  # a name in quotation marks: 'وقال "كارتر" للصحفيين'
        vs: Subject | None = None
        if k >= 2 and kind != "imperfect":
            # after "إن/أن" the subject comes first: "إن الوزير أبلغ نظيره", "إن نتنياهو أبلغ بلينكن"
            comp = lex.ar_complementizers
            if k in ends and ends[k].i > 0 and view[ends[k].i - 1].low in comp:
                return Subject("np", ends[k], gender, how="sv")
            prev = view[k - 1]
            if (
                k not in ends
                and view[k - 2].low in comp
                and prev.ar
                and prev.low not in lex.w.ar_sv_gap
                and prev.low not in lex.w.ar_negations
                and prev.low not in lex.verbs
            ):
                return Subject("unknown", gender=gender, how="embedded")  # someone's words reported inside
        if (
            k >= 2
            and view[0].low in lex.w.ar_topic_openers
            and view[1].low not in lex.w.ar_topic_preps  # "أما بشأن الحرب، فأكد ستارمر": no topic subject
            and not any(view[q].low in lex.ar_complementizers for q in range(1, k))
        ):
            # "أما X، عضو البرلمان ...، فقد قال": the topic after "أما" is the subject
            np0 = nps.get(1)
            if np0 is not None and not np0.clitic:
                return Subject("np", np0, gender, how="topic")
            return Subject("unknown", gender=gender, how="topic")
        if kind == "past" and k >= 1 and self._unlisted_subject_first(view, nps, k):
            # "الصحيفة اعتبرت تيلرسون فاشلا": a noun opening the clause is the subject, the phrase after
            # the verb its object
            return Subject("unknown", gender=gender, how="sv")
        if (
            j < n
            and gender == "m"
            and view[k].low[:1] in ("و", "ف")
            and view[j].low in lex.w.ar_feminine_places
        ):
            # "ودعا إسرائيل إلى ...": a masculine verb does not agree with a country or city after it,
            # which is its object; the speaker goes on. Only a verb that continues ("و/ف"): in "بينما كان رد
            # القاهرة" the word is a noun (Cairo's reply) and Cairo speaks
            vs = Subject("pronoun", gender=gender, how="object-first")
        elif (
            j < n
            and gender == "m"
            and view[k].low[:1] in ("و", "ف")
            and j not in nps
            and view[j].ar
            and view[j].low.startswith("ال")
            and len(view[j].low) > 5
            and view[j].low.endswith(("ه", "ات"))
            and not any(np_.i < j < np_.j for np_ in nps.values())
        ):
            # "ووصف الشركة الجديدة بأنها ...", "وكرر التغييرات ...": a masculine verb does not agree with a
            # feminine noun or an inanimate plural after it, which is its object; the speaker goes on
            vs = Subject("pronoun", gender=gender, how="object-first")
        elif j < n and j in nps and nps[j].clitic[:1] not in ("ب", "ل", "ك"):
            vs = Subject("np", nps[j], gender, how="vs")
            named = self._named_after_title(view, nps, nps[j]) if nps[j].status == "anaphor" else None
            if named is not None:
                # a generic title narrowed to a tracked person ("المبعوث الأمريكي الخاص إلى اليمن تيم ليندركينغ")
                vs = Subject("np", named, gender, how="vs")
            elif (
                nps[j].status == "anaphor"
                and nps[j].j + 2 < n
                and view[nps[j].j].low in self.lex.w.ar_relatives
                and view[nps[j].j + 1].low in self.lex.w.ar_document_verbs
                and (author := nps.get(nps[j].j + 2)) is not None
                and author.status == "tracked"
            ):
                # "وأضاف البيان الذي نشرته الحكومة البريطانية أن ...": the document's author speaks
                vs = Subject("np", author, gender, how="document")
            elif nps[j].status == "anaphor" and self._name_follows(view, nps[j].j):
                # "وقال وزير الخارجية عادل الجبير": someone else, unless a long title ends in a tracked name
                vs = self._appositive(view, nps, j + 1, gender)
        elif j < n and j in nps:
            vs = Subject("unknown", gender=gender)
        elif (
            j + 1 < n
            and view[j].low in lex.w.ar_body_heads
            and (j + 1) in nps
            and nps[j + 1].status == "tracked"
            and not nps[j + 1].clitic
        ):
            vs = Subject("np", nps[j + 1], gender, how="vs")  # "قال مكتب المفوضية السامية ..."
        elif (
            j < n
            and view[j].low in self.lex.w.ar_source_nouns
            and (src := self._np_after(view, nps, j + 1, self.lex.w.ar_source_skip))
        ):
            vs = Subject("np", src, gender, how="document")  # "وأشار تقرير للخارجية الأمريكية إلى ..."
        elif j >= n or view[j].low in lex.ar_no_subject or view[j].low == QUOTE or not view[j].ar:
            jj = j
            steps = 0
            adverb = False
            while jj < n and steps < 5 and view[jj].low in lex.ar_fillers and jj not in nps:
                adverb = adverb or view[jj].low in lex.w.ar_adverbs
                jj += 1
                steps += 1
            if (
                adverb
                and jj < n
                and jj in nps
                and nps[jj].status != "tracked"
                and nps[jj].genders
                and gender not in nps[jj].genders
            ):
                # "وانتقد خصوصا الحكومة السودانية": after an adverb, a phrase the verb does not agree
                # with is its object; the speaker goes on
                vs = Subject("pronoun", gender=gender, how="pronoun")
            elif jj < n and jj in nps and steps and nps[jj].status != "anaphor":
                vs = Subject("np", nps[jj], gender, how="vs")
            elif (
                j < n
                and view[j].low in ("فيه", "فيها")
                and jj < n
                and jj not in nps
                and view[jj].ar
                and view[jj].low not in lex.ar_no_subject
                and view[jj].low not in lex.verbs
            ):
                vs = Subject("unknown", gender=gender)  # "في وقت حذر فيه أعضاء بمجلس الأمن": someone else
            else:
                vs = Subject("pronoun", gender=gender, how="pronoun")
        else:
            fz = self._misspelled(view, j)
            known = self.unknown_names.get(view[j].low)
            if fz:
                vs = Subject("np", fz, gender, how="spelling")
            elif known is not None and (j + 1 >= n or not self._name_follows(view, j + 1)):
                # "وأوضح فولكنر أن": the surname of someone named earlier after a tracked title
                speaker, genders = known
                vs = Subject(
                    "np", NP(j, j + 1, "tracked", speaker, None, genders, personlike=True, named=True), gender,
                    how="surname",
                )
            elif lex.verbs.get(view[j].low, ("", ""))[1] in ("imperfect", "participle"):
                # "ومضى يقول:", "وتابع قائلا": a verb of saying right after, the speaker goes on
                vs = Subject("pronoun", gender=gender, how="pronoun")
            elif self._object_head(view[j].low):
                # "وأكد ضرورة ...", "ودعا جميع الأطراف إلى ...": the object comes first, the speaker goes on
                vs = Subject("pronoun", gender=gender, how="object-first")
            else:
                vs = self._appositive(view, nps, j, gender)
        # subject before the verb ("وكان كيري قال", "البنتاغون يشكك", "X، الذي علق")
        if vs.kind != "np" or kind == "imperfect":
            b = k
            steps = 0
            while (
                b - 1 >= 0
                and steps < 3
                and b not in ends
                and (
                    view[b - 1].low in self.lex.w.ar_sv_gap
                    or (view[b - 1].low in _NAME_MARKS and b - 1 in ends)
                )
            ):
                b -= 1  # (also the closing mark of a name in quotation marks: "«الخارجية البريطانية» تدين")
                steps += 1
            if b in ends and (kind != "imperfect" or vs.kind != "np" or ends[b].status != "anaphor"):
                # (a headline's subject comes first: "روبيو يهدد حماس", not "حماس" after the verb)
                i0 = ends[b].i
                rel = next((_RELATIVE_GENDER[t.low] for t in view[b:k] if t.low in _RELATIVE_GENDER), "")
                gs = ends[b].genders
                if rel and gs and rel not in gs and "" not in gs:
                    # "تصريحات أوستن التي أعربت عن ...": the relative does not agree with the phrase before
                    # it, so it is the noun before that ("التصريحات") that did it, not the speaker
                    return Subject("unknown", gender=gender, how="sv")
                if (
                    b == k
                    and i0 > 0
                    and (view[i0 - 1].low in lex.verbs or view[i0 - 1].low in lex.w.ar_object_gap)
                ):
                    # "الأونروا تنتقد تصريحات روبيو وتؤكد": the phrase belongs to the words before it
                    return Subject("unknown", gender=gender, how="sv")
                return Subject("np", ends[b], gender, how="sv")
            if vs.kind == "pronoun" and self._kana_subject(view, nps, k):
                return Subject("unknown", gender=gender)  # "وكان الجيش الكوري قد أعلن": someone else
            if vs.kind == "pronoun" and self._unlisted_phrase_before(view, nps, k):
                return Subject("unknown", gender=gender, how="sv")  # "لكن المرشد ... خامنئي قال إنه"
        return vs

    def _unlisted_phrase_before(self, view: list[Token], nps: dict[int, NP], k: int) -> bool:
        """ "لكن المرشد الأعلى ... علي خامنئي قال إنه ...": between a contrast word opening the clause and
        the verb, two or more words that name nobody in the registry (the subject is someone else)."""
        lex = self.lex
        words = 0
        for q in range(k - 1, max(-1, k - 12), -1):
            low = view[q].low
            if low in lex.w.ar_contrast_openers:
                return words >= 2 and (q == 0 or view[q - 1].low in ("،", ","))
            if (
                not view[q].ar
                or q in nps
                or any(np_.i <= q < np_.j for np_ in nps.values())
                or low in lex.verbs
                or low in lex.ar_complementizers
                or low in lex.w.ar_sv_gap
                or low in lex.w.ar_not_names
                or low in lex.w.ar_negations
            ):
                return False
            words += 1
        return False

    def _named_after_title(self, view: list[Token], nps: dict[int, NP], title: NP) -> NP | None:
        """A tracked person named right after a generic title that may stand for their body, the post
        narrowed by a few words between ("المبعوث الأمريكي الخاص إلى اليمن تيم ليندركينغ")."""
        for q in range(title.j + 1, min(len(view), title.j + 5)):
            np_ = nps.get(q)
            if np_ is None:
                continue
            if (
                np_.status == "tracked"
                and np_.named
                and ("any" in title.refers or np_.speaker in title.refers)
                and all(t.ar and t.low not in self.lex.ar_complementizers for t in view[title.j : q])
                and self._title_gap(view, title.j, q, 4)
            ):
                return np_
            return None
        return None

    def _unlisted_subject_first(self, view: list[Token], nps: dict[int, NP], k: int) -> bool:
        """Does a definite noun that names nobody in the registry open the clause right before the verb
        at ``k`` ("الصحيفة اعتبرت ...", "...، الشرطة قالت ...")?"""
        prev = view[k - 1]
        low = prev.low
        lex = self.lex
        if k - 1 in nps or any(np_.i < k - 1 < np_.j for np_ in nps.values()):
            return False
        if not (prev.ar and low.startswith("ال") and len(low) > 4):
            return False
        if low in lex.ar_fillers or low in lex.ar_no_subject or low in lex.verbs or low in lex.w.ar_not_verbs:
            return False
        return k == 1 or view[k - 2].low in ("،", ",", ":", QUOTE)

    def _object_head(self, low: str) -> bool:
        """Does the word open an object, not a subject ("ضرورة", "جميع", "أهمية", "دعمها")?"""
        heads = self.lex.w.ar_object_heads
        if low in heads or (low.startswith("ب") and low[1:] in heads):  # (also "بقصف", "بالهجوم")
            return True
        for suffix in ("ه", "ها", "هم", "نا"):
            if low.endswith(suffix) and low[: -len(suffix)] in heads:
                return True
        return False

    def _kana_subject(self, view: list[Token], nps: dict[int, NP], k: int) -> bool:
        """Pluperfect "وكان <words> (قد) <verb>" whose subject words name no registry phrase."""
        if k < 2:
            return False
        e = k - 1 if view[k - 1].low == "قد" else k  # the subject words end before "قد" (if any)
        for c in range(e - 1, max(-1, e - 8), -1):
            low = view[c].low
            if low in self.lex.w.ar_kana:
                clause_initial = c == 0 or view[c - 1].low in ("،", ",", "؛", ";", ".", ":")
                return (e < k or clause_initial) and c < e - 1 and not any(q in nps for q in range(c + 1, e))
            if not view[c].ar or low in self.lex.ar_complementizers or low in self.lex.w.ar_sv_gap:
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
            or low in self.lex.w.ar_source_nouns
            or self._object_head(low)  # "وانتقد المفوض سياسات ...": the object, not a name
            or (len(low) > 5 and low.endswith(("ها", "هم", "هما")))  # "فكررت المتحدثة إجابتها": a possessive
        )

    def _title_gap(self, view: list[Token], a: int, b: int, limit: int) -> bool:
        """Words between the verb and a name that can only be a post ("المبعوث الأمريكي الخاص إلى سوريا"),
        not a clause making the name an object ("بعد لقائه", "الذي التقى")."""
        if b - a > limit:
            return False
        return not any(
            view[r].low in self.lex.w.ar_object_gap or view[r].low in self.lex.verbs for r in range(a, b)
        )

    def _complementizer_soon(self, view: list[Token], q: int) -> bool:
        """Does "إن/أن" come within a few words after ``q``, with no verb or quotation before it?"""
        for r in range(q, min(len(view), q + 14)):
            low = view[r].low
            if low in self.lex.ar_complementizers:
                return True
            if low == QUOTE or low in self.lex.verbs:
                return False
        return False

    def _venue_then_comp(self, view: list[Token], q: int) -> bool:
        """'... جيمس جيفري في إفادة صحفية إن': where the words were said, then the complementizer."""
        if view[q].low not in ("في", "خلال"):
            return False
        for r in range(q + 1, min(len(view), q + 5)):
            low = view[r].low
            if low in self.lex.ar_complementizers:
                return r > q + 1
            if low not in self.lex.w.ar_venue:
                return False
        return False

    def _appositive(self, view: list[Token], nps: dict[int, NP], j: int, gender: str) -> Subject:
        """'قال محمد النسور، مدير مكتب ... في مفوضية ...': an unknown name, a comma, a post at a body."""
        comp = self.lex.ar_complementizers
        saw_comma = False
        commas = 0
        for jj in range(j, min(len(view), j + 16)):
            low = view[jj].low
            if low in comp or low == QUOTE or low in self.lex.w.ar_apposition_breakers:
                break  # (a clause, not a post: "أشارت الصحيفة إلى ما حدث خلال استجواب X")
            if saw_comma and (low in self.lex.w.ar_associations or low[1:] in self.lex.w.ar_associations):
                break  # a post in an association at a body, not the body's: "X، رئيس نقابة العاملين في ..."
            if low in ("،", ","):
                saw_comma = True
                commas += 1
            np_ = nps.get(jj)
            if np_ is not None:
                after_title = any(o.j == jj for o in nps.values())  # "المتحدث الرسمي لوزارة ...": of
                if (np_.clitic in ("ل", "ول", "فل") and not after_title) or view[
                    jj - 1
                ].low in self.lex.w.ar_addressee_before:
                    break  # "في رسالة بعثها لمفوض الأمم المتحدة ...": the addressee
                if (
                    np_.status == "tracked"
                    and (
                        np_.named or saw_comma
                    )  # a title's holder only in apposition: "X، المفوض السامي، إن"
                    and np_.person is not None
                    and self.reg.persons[np_.person].post_on(self.day) is not None
                    and np_.j < len(view)
                    and (
                        (view[np_.j].low in (",", "،", *comp) and self._title_gap(view, j, np_.i, 16))
                        or (self._venue_then_comp(view, np_.j) and self._title_gap(view, j, np_.i, 6))
                    )
                ):
                    return Subject(
                        "np", np_, gender, how="apposition"
                    )  # "المسؤول الإداري ... في الحكومة البريطانية مارك لوكوك، أن"
                if saw_comma and commas < 2 and np_.status == "tracked" and not np_.named and jj > j + 1:
                    # "X، المسؤول في الخارجية الأمريكية، ...": the body inside the apposition; after it
                    # closes, "ب"/"ل" + a tracked name is the verb's object ("أشاد X، رئيس ...، ببرايس")
                    prev = view[jj - 1].low
                    if prev in ("في", "لدى", "ب", "باسم") or view[jj].low.startswith(("ب", "ل")):
                        return Subject(
                            "np",
                            NP(np_.i, np_.j, "tracked", np_.speaker, None, np_.genders),
                            gender,
                            how="apposition",
                        )
                if (
                    not saw_comma
                    and np_.status == "tracked"
                    and not np_.named
                    and np_.person is None
                    and view[j].low in self.lex.w.ar_post_heads
                    and (view[jj - 1].low in ("في", "لدى", "باسم") or np_.clitic[:1] in ("ب", "ل"))
                    and not any(
                        t.low in self.lex.w.ar_associations or t.low[1:] in self.lex.w.ar_associations
                        for t in view[j:jj]
                    )
                    and self._complementizer_soon(view, np_.j)
                ):
                    # "قال مدير مكتب العمليات الميدانية في مفوضية ...، جورجيت غانيون، ... إن": a post at
                    # the body, then (maybe) the holder's name, then what was said
                    return Subject(
                        "np",
                        NP(np_.i, np_.j, "tracked", np_.speaker, None, np_.genders),
                        gender,
                        how="apposition",
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
            np_ = ends[b]
            o = np_.i
            while o > 0 and view[o - 1].low in ("the", "a", "an"):
                o -= 1
            if (
                o > 0
                and (view[o - 1].low in lex.w.en_object_before or view[o - 1].low in lex.verbs)
                and not any(t.low == "," for t in view[np_.i : np_.j])
                and not (o > 1 and view[o - 2].low in lex.w.en_source_skip)  # "a statement from X said"
            ):
                named = self._name_for(view, ends, np_, o)
                if named is not None:
                    return Subject("np", named, how="name-for")  # "Liz Throssell for OHCHR said"
                # "a call with Johnson and told", "called Secretary Pompeo and told him": an object
                return Subject("unknown", how="object")
            return Subject("np", np_, how="sv")
        if b >= 1 and (b - 1) not in ends and (b < 2 or not view[b - 2].case[:1].isupper()):
            fz = self._misspelled(view, b - 1)  # "Pomepo said"
            if fz is not None:
                return Subject("np", fz, how="spelling")
        if b - 2 >= 0 and view[b - 1].case[:1].isupper() and view[b - 1].low.isalpha():
            # "the minister Sergei Shoigu said": an anaphor followed by an unknown name is someone else
            # ("Pentagon spokesman John told": a one-word name right after the title counts too)
            for e, np_ in ends.items():
                if np_.status == "anaphor" and e <= b - 1 and all(t.case[:1].isupper() for t in view[e:b]):
                    return Subject("unknown")
            named = self._title_then_name(view, ends, b)
            if named is not None:
                return Subject("np", named, how="title-name")
        if b - 1 >= 0:
            prev = view[b - 1].low
            if prev in lex.en_pronouns:
                quoted = b >= 2 and view[b - 2].low == QUOTE
                return Subject("pronoun", gender=lex.en_pronouns[prev], how="pronoun", quoted=quoted)
            if prev == ",":
                nx = k + 2 if k + 2 < len(view) and view[k + 1].low in ("a", "an", "the") else k + 1
                after = nps.get(nx)
                # '..., said the Pentagon.' (not '..., said the office was concerned')
                said_x = after is not None and (
                    after.j >= len(view)
                    or view[after.j].low in self.lex.w.en_after_said_x
                    or not view[after.j].low.isalpha()
                )
                np_ = ends.get(b - 1)
                if np_ is not None and not said_x and np_.status == "tracked":
                    o = np_.i
                    while o > 0 and view[o - 1].low in ("the", "a", "an"):
                        o -= 1
                    named = self._name_for(view, ends, np_, o)
                    if named is not None:
                        return Subject("np", named, how="name-for")  # "Rupert Colville, for OHCHR, read"
                if (
                    np_ is not None
                    and not said_x
                    and _clause_initial(view, _capitalised_start(view, np_.i, lex.w.en_label_titles))
                ):
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
                        return Subject("np", head, how="apposition")
                    return Subject("np", np_, how="apposition")
                # "X, who declined to be identified, said" / "X, speaking in Moscow, warned" (not when a
                # phrase before the comma is followed by "said X": '..., said the Pentagon')
                aside_from = max(-1, b - 30) if (np_ is None or not said_x) else b - 2
                for p in range(b - 2, aside_from, -1):
                    if view[p].low == QUOTE:
                        break
                    if view[p].low == "," and p in ends:
                        return Subject("np", ends[p], how="aside")
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
            elif j + 1 < len(view) and view[j].low in ("new", "outgoing") and j + 1 in nps:
                j += 1  # "..., says new foreign minister David Lammy"
            if j < len(view) and j in nps:
                return Subject("np", nps[j], how="said-x")
            if j < len(view) and view[j].low in lex.en_pronouns:
                return Subject("pronoun", gender=lex.en_pronouns[view[j].low], how="said-pronoun")
            if k == 0:
                return None
        doc = self._document_with_complement(view, ends, b)
        if doc is not None:
            return Subject("np", doc, how="document")
        if b - 1 >= 0 and view[b - 1].low not in (",", QUOTE, ":", "-", "(", ")"):
            return Subject("unknown")
        return None

    def _document_with_complement(self, view: list[Token], ends: dict[int, NP], b: int) -> NP | None:
        """ "A Downing Street readout of the call said", "A State Department memo on the visas said": a
        tracked body's document, then a short complement opened by a preposition, right before the verb."""
        lex = self.lex
        for d in range(b - 2, max(0, b - 9), -1):
            t = view[d].low
            if t in (",", QUOTE, ":", ";") or t in lex.verbs:
                return None
            if t in lex.w.en_documents:
                if view[d + 1].low not in ("of", "on", "about", "into", "for", "from"):
                    return None
                np_ = ends.get(d)
                if np_ is not None and np_.status == "tracked":
                    return np_
                return None
        return None


_FINDERS = {
    "opening-phrase": ConstructionsMixin._find_opening_phrase,
    "closing-phrase": ConstructionsMixin._find_closing_phrase,
    "en-headline": ConstructionsMixin._find_en_headline,
    "after": ConstructionsMixin._find_after,
    "relayed": ConstructionsMixin._find_relayed,
    "ar-verb": ConstructionsMixin._find_ar_verb,
    "ar-present": ConstructionsMixin._find_ar_present,
    "ar-masdar": ConstructionsMixin._find_ar_masdar,
    "ar-weak-object": ConstructionsMixin._find_ar_weak_object,
    "en-quoted": ConstructionsMixin._find_en_quoted,
    "en-issued": ConstructionsMixin._find_en_issued,
    "en-verb": ConstructionsMixin._find_en_verb,
    "en-participle": ConstructionsMixin._find_en_participle,
    "none": ConstructionsMixin._find_none,
}
assert set(_FINDERS) == set(SUBJECT_FINDERS), "constructions.py and registry.SUBJECT_FINDERS disagree"
