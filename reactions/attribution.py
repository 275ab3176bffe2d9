"""Attribution: the speaker of each unit (and of each clause with another explicit speaker), from its
verb-subject pairs and the speaker carried over from earlier sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .constructions import Pair, Subject
from .mentions import NP
from .registry import HOME_MARKERS, Lexicon, Registry
from .text import Token, scan_words
from .units import QUOTE, Unit

MAX_CONTEXT_AGE = 3  # sentences without speech after which an anaphor ("الوزارة") is no longer trusted
MAX_PRONOUN_AGE = 1  # the same for a bare English pronoun ("he said")
MAX_PRONOUN_AGE_AR = 0  # and for an Arabic verb without subject ("وأضاف"): only the very next sentence


@dataclass
class Context:
    speaker: str | None  # None: someone not in the registry
    tracked: bool
    person: str | None
    genders: frozenset[str]
    age: int = 0
    pronoun_ok: bool = True  # English: may "he said" still refer to this speaker after a silent sentence?
    # Arabic: genders of other people named in a sentence without speech since ("... صدر عن ألبانيزي."
    # then "وتنفي المسؤولة": the official is the one just named, not the speaker before)
    rivals: frozenset[str] = frozenset()
    rule: str = ""  # the construction that found the statement (see constructions.toml)


def _elsewhere(view: list[Token], lex: Lexicon) -> bool:
    """Does the unit open with "وفي <place>،" naming a place other than a tracked speaker's seat?"""
    if len(view) < 3 or view[0].low not in ("في", "وفي"):
        return False
    for k in range(2, min(5, len(view))):
        if view[k].low in ("،", ","):
            place = view[1].low
            if place in lex.w.home_places:
                return False
            # a known capital or country ("وفي القاهرة،"), else a word that is no "في السياق،" or "في البيان،"
            return place in lex.w.ar_feminine_places or place in lex.ar_foreign_places or not place.startswith(
                ("ال", "بيان", "تصريح")
            )
    return False


# "the Israeli government", "Scotland's government", "the Trump administration", "the White House"
_GOVERNMENT = re.compile(
    r"\b([a-z]+)(?:'s)?\s+(?:government|authorities|administration)\b|\b(white house|kremlin)\b"
)


class AttributionMixin:
    """Resolving subjects to speakers and a unit to its clauses (mixed into the per-text state)."""

    reg: Registry
    lex: Lexicon
    lang: str
    masked: str
    lowered: str
    ctx: Context | None
    _home: dict[str, bool]
    _named_speakers: frozenset[str] | None

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
            limit = MAX_CONTEXT_AGE if np_.max_age < 0 else np_.max_age
            if (
                c is None
                or c.age > limit
                or ("any" not in np_.refers and (c.speaker is None or c.speaker not in np_.refers))
            ):
                if (
                    np_.home
                    and (c is None or not c.tracked or c.speaker == np_.home)
                    and self.home_text(np_.home)
                ):
                    # "The government said ..." in a text about Britain, with nobody else current
                    return Context(np_.home, True, None, np_.genders)
                if np_.sole and (c is None or not c.tracked):
                    sole = self.sole_body(np_.refers)
                    if sole is not None:
                        # "أدانت المملكة المتحدة ...", "الولايات المتحدة تصف ..." in a text that names one
                        # tracked body of that country (and not the White House): that body
                        return Context(sole, True, None, np_.genders)
                return None
            ag = next(iter(np_.genders)) if len(np_.genders) == 1 else ""
            if (
                np_.personlike
                and ag in ("m", "f")
                and c.genders
                and ag not in c.genders
                and "" not in c.genders
                and not (self.lang == "ar" and c.person is None and np_.spokes)
            ):
                # (a body's anaphor, "وقالت الحكومة" after its minister, has no person's gender; but "متحدث
                # باسم الوزارة" after "أدانت الوزارة" is the ministry's spokesman, whatever its gender)
                return None
            if "any" in np_.refers and ag in c.rivals and local is None:
                return None  # "المسؤولة" after a sentence naming another woman: her, not the speaker
            person = c.person if np_.personlike else None
            # (an anaphor of either gender, "البيان", lets either gender go on: "وأضاف" after "وأشار البيان")
            return Context(c.speaker, c.tracked, person, c.genders | {ag})
        # pronoun: only right after the speaker (at most one sentence without speech in between)
        c = local or self.ctx
        if c is None or c.age > (MAX_PRONOUN_AGE if self.lang == "en" else MAX_PRONOUN_AGE_AR):
            return None
        g = subj.gender
        if c.age and not c.pronoun_ok and local is None:
            # ('“...,” she said' after a sentence of background: the quotation's speaker, if she is the one
            # who spoke last, not someone only named: "X was interviewed on the radio")
            if not (
                subj.quoted and c.person and c.rule != "topic" and g in ("m", "f") and c.genders == frozenset({g})
            ):
                return None
        if g == "p":
            return None
        if g in ("m", "f", "n") and c.genders and g not in c.genders and "" not in c.genders:
            return None
        return Context(c.speaker, c.tracked, c.person, c.genders)

    def sole_body(self, refers: tuple[str, ...]) -> str | None:
        """The one speaker of ``refers`` (and of its country: a US body is not alone when the White House
        is named) that the whole text names by a registry phrase, or None.  Read once per text."""
        named = self._named_speakers
        if named is None:
            named = self._named_speakers = self.speakers_named()
        got = [sp for sp in refers if sp in named]
        rivals = self.lex.w.sole_rivals
        if len(got) != 1 or any(r in named for r in rivals if r.split("-")[0] == got[0].split("-")[0]):
            return None
        return got[0]

    def home_text(self, speaker: str) -> bool:
        """Is the text about the country of ``speaker`` (a word of its markers list) and about no other
        government ("the Israeli government", "Scotland's government", "the White House")?  Read once
        per text, only when a "home" anaphor has nobody current to refer to."""
        got = self._home.get(speaker)
        if got is None:
            markers, rivals = HOME_MARKERS[speaker]
            w = self.lex.w
            got = not set(scan_words(self.lowered)).isdisjoint(getattr(w, markers))
            if got:
                foreign = getattr(w, rivals) | self.lex.en_foreign_adjs | self.lex.en_foreign_countries
                for m in _GOVERNMENT.finditer(self.lowered):
                    if (m.group(1) or m.group(2)) in foreign:
                        got = False
                        break
            self._home[speaker] = got
        return got

    def topic(self, view: list[Token], nps: dict[int, NP]) -> Context | None:
        """The subject of a sentence without speech, when it is a tracked speaker named at its start
        ("أدرجت وزارة الخارجية الأميركية ...", "Defense Secretary Pete Hegseth assembled ..."): the
        speaker a continuation in the next sentence may refer to."""
        if not view:
            return None
        if self.lang == "en":
            np_ = opening_np(view, nps, self.lex)
        else:
            np_ = nps.get(0)
            if np_ is None and view[0].ar and view[0].low not in self.lex.w.ar_not_verbs and 0 not in nps:
                np_ = nps.get(1)
        if np_ is None or np_.status != "tracked" or np_.clitic:
            return None
        return Context(np_.speaker, True, np_.person, np_.genders, age=0, rule="topic")

    def _headline(self, view: list[Token]) -> bool:
        """A short unit without a full stop or quotation: a headline or post title."""
        return 3 <= len(view) <= 16 and not any(
            t.low in (".", "!", "؟", "?", QUOTE, ":", "،", ",") for t in view
        )

    def _clause_subject(self, view: list[Token], nps: dict[int, NP], k: int) -> NP | None:
        """The subject of a verb opening the sentence or its first clause after a comma (negations
        skipped), before the verb at ``k``: a registry phrase right after that first verb."""
        lex = self.lex
        for p in range(1, k):
            np_ = nps.get(p)
            if np_ is None or np_.clitic or np_.status not in ("tracked", "other") or np_.j > k:
                continue
            q = p - 1  # the verb before the phrase
            start = q
            while start > 0 and view[start - 1].low in lex.w.ar_negations:
                start -= 1
            opens = start == 0 or view[start - 1].low in ("،", ",")
            if (
                opens
                and view[q].ar
                and view[q].low not in lex.w.ar_not_verbs
                and q not in nps
                and not any(o.i < q < o.j for o in nps.values())
                and view[q].low not in lex.ar_fillers
                and view[q].low not in lex.w.ar_prepositions
            ):
                return np_
            return None  # only the first phrase of the sentence
        return None

    def _unknown_opener(self, view: list[Token], nps: dict[int, NP]) -> bool:
        """Does the sentence open with a (non-reporting) verb whose subject is a name the registry lacks
        ("وعرج كوكر", "ولم يأت وانغ")?"""
        lex = self.lex
        i = 0
        while i < len(view) and view[i].low in lex.w.ar_negations:
            i += 1
        if i + 1 >= len(view) or view[i].low in lex.w.ar_not_verbs or not view[i].ar or i in nps:
            return False
        if lex.verbs.get(view[i].low, ("", ""))[1] == "participle":
            return False  # "مجدداً وقوف بلاده ...، وحث ...": a participle goes on with the speaker
        w = view[i + 1]
        return (
            w.ar
            and i + 1 not in nps
            and not w.low.startswith(("ال", "لل"))
            and w.low not in lex.ar_no_subject
            and w.low not in lex.ar_fillers
            and w.low not in lex.ar_complementizers
            and w.low not in lex.verbs
            and w.low not in lex.w.ar_not_verbs
            and w.low not in lex.w.ar_not_names
        )

    def _resolve_pair(self, p: Pair, local: Context | None) -> Context | None:
        """The speaker of a pair's subject, named by the pair's construction."""
        c = self.resolve(p.subject, local)
        if c is not None:
            c.rule = p.rule
        return c

    def attribute(
        self, view: list[Token], pairs: list[Pair], nps: dict[int, NP]
    ) -> list[tuple[int, Context | None]]:
        """Speakers for the unit: [(first view index of the clause, context or None)]."""
        if not pairs:
            return []
        lang_en = self.lang == "en"
        main_pairs = [p for p in pairs if p.verb_kind != "according"] or pairs
        if not lang_en and _elsewhere(view, self.lex):
            # "وفي القاهرة، أدانت الخارجية ...": a bare anaphor after a new place is someone else
            main_pairs = [
                Pair(p.k, p.verb_kind, Subject("unknown", gender=p.subject.gender), p.rule)
                if p.subject.kind == "np" and p.subject.np is not None and p.subject.np.status == "anaphor"
                else p
                for p in main_pairs
            ]
        chosen = main_pairs[0]
        local0 = None
        opener = self._clause_subject(view, nps, chosen.k) if not lang_en else None
        if chosen.subject.kind == "pronoun" and chosen.k > 1 and opener is not None:
            # "ويحرص وزير الخارجية الأميركية على ...، وأكد ...", "بعد أشهر من الضغط، حسم رئيس الوزراء
            # البريطاني قراره وأعلن ...", "ولم يقطع بومبيو تعهدات ... وقال": the sentence's subject speaks
            local0 = self.resolve(Subject("np", opener), None)
        elif (
            chosen.subject.kind == "pronoun"
            and chosen.k > 1
            and not lang_en
            and self._unknown_opener(view, nps)
        ):
            # "وعرج كوكر على ... وقال", "ولم يأت وانغ على ذكر ... لكنه قال": the sentence's subject is
            # someone the registry lacks
            local0 = Context(None, False, None, frozenset({chosen.subject.gender}))
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
        first = self._resolve_pair(chosen, local0)
        if lang_en:
            n = len(view)
            for p in main_pairs:
                if p.verb_kind == "closing" and not any(
                    (q.subject.kind == "np" and q.subject.np is not None and q.subject.np.status == "other")
                    or (
                        q.subject.kind == "unknown"
                        and q.k > 0
                        and view[q.k - 1].case[:1].isupper()
                        and not view[q.k - 1].case.isupper()
                    )
                    for q in main_pairs
                    if q is not p
                ):
                    # "US condemns attack in Erbil - Pompeo": the headline's closing speaker says all of it
                    # (not "Russia says talks failed - Pentagon": someone else's words)
                    return [(0, self._resolve_pair(p, None))]
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
                        return [(0, self._resolve_pair(p, local))]
        clauses: list[tuple[int, Context | None]] = [(0, first)]
        if lang_en and chosen.subject.how == "with" and chosen.subject.np is not None:
            # "European leaders reaffirmed their support, with Starmer emphasizing ...": from "with" on
            w = chosen.subject.np.i
            while w > 0 and view[w - 1].low in ("the", "a", "an"):
                w -= 1
            if w > 1:
                clauses = [(0, None), (w - 1, first)]
        elif (
            lang_en
            and chosen.subject.how == "sv"
            and chosen.subject.np is not None
            and self._en_subordinate_start(view, chosen.subject.np.i) is not None
        ):
            # "Russian officials presented X with the proposals, which Donfried said she would share",
            # "The U.S. withdrew ... after the U.N.'s human rights chief called ...": from "which"/"after"
            clauses = [(0, None), (self._en_subordinate_start(view, chosen.subject.np.i), first)]
        np0 = chosen.subject.np
        if (
            not lang_en
            and np0 is not None
            and np0.i > 0
            and np0.clitic.startswith("و")
            and np0.j <= chosen.k
            # (no phrase before it, or none right before it: "البنتاغون لا يريد تصعيدا وبلينكن يتحدث",
            # not the coordinated "البنتاغون وبلينكن يحذران")
            and not any(q < np0.i and nps[q].j > np0.i - 2 for q in nps)
        ):
            # "اشتباكات ضارية بمخيم المغازي وبلينكن يجدد الشكر لقطر": the statement starts at its subject
            clauses = [(0, None), (np0.i, first)]
        if not lang_en and self._headline(view):
            # a headline's second item ("بلينكن يحذر من التصعيد واجتماع في طهران"): the statement ends
            for q in range(chosen.k + 2, len(view)):
                w = view[q].low
                if (
                    q > clauses[-1][0]
                    and w.startswith("و")
                    and len(w) > 3
                    and view[q].ar
                    and w not in self.lex.verbs
                ):
                    # another subject with its own verb ("... وألمانيا تدعو ..."), not "... وتحجيم ميليشياتها"
                    if (nps[q].clitic.startswith("و") if q in nps else False) or (
                        q not in nps
                        and not any(n.i < q < n.j for n in nps.values())
                        and any(t.low in self.lex.verbs for t in view[q + 1 : q + 3])
                    ):
                        clauses.append((q, None))
                        break
        if (
            not lang_en
            and chosen.k > 2
            and view[chosen.k - 1].low == "ما"
            and view[chosen.k - 2].low in self.lex.w.ar_relative_what
        ):
            # "أطلقت ... صواريخ على ما قالت وزارة الدفاع إنها منشآت": the statement starts at "ما"
            clauses = [(0, None), (chosen.k - 1, first)]
        if not lang_en and chosen.k > 2 and clauses[-1][0] == 0:
            sub = self._subordinate_start(view, chosen.k, chosen.subject.how == "vs")
            if sub is not None:
                # "وتعاني إدارتها من الانقسام، بعد أن اعتبر وزير الخارجية ...": the statement is the clause
                clauses = [(0, None), (sub, first)]
        local = first
        for p in main_pairs[1:]:
            if p.k <= chosen.k or p.verb_kind == "weak-other":
                continue
            c = self._resolve_pair(p, local)
            if c is None:
                continue
            if local is not None and (c.speaker == local.speaker and c.tracked == local.tracked):
                if not c.genders <= local.genders:
                    local = Context(
                        local.speaker, local.tracked, local.person, local.genders | c.genders, rule=local.rule
                    )
                    clauses[-1] = (clauses[-1][0], local)
            if p.subject.kind == "pronoun":
                continue
            if local is not None and (c.speaker == local.speaker and c.tracked == local.tracked):
                embedded = False
                if not lang_en:
                    # "قالت الوزارة إن الوزير X أخبر ...": X is only the topic of the reported speech
                    for q in range(
                        chosen.k + 1, min(p.k, p.subject.np.i if p.subject.np is not None else p.k)
                    ):
                        low_q = view[q].low
                        if low_q in self.lex.ar_complementizers:
                            embedded = True
                        elif low_q in ("،", ",", "؛", ";"):
                            embedded = False
                if local.person is None and c.person is not None and c.tracked and not embedded:
                    # "a Pentagon spokesman denied ..., and Commander Sean Robertson said ...": named
                    local = Context(c.speaker, True, c.person, local.genders | c.genders, rule=local.rule)
                    clauses[-1] = (clauses[-1][0], local)
                elif chosen.subject.np is not None and chosen.subject.np.soft and c.person is not None:
                    # "the US ambassador announced ... with Secretary Pompeo, who commented ...": the latter
                    local = Context(c.speaker, c.tracked, c.person, c.genders, rule=local.rule)
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
            if clauses[-1][1] is None and clauses[-1][0] == start:
                # a headline's second item with its own speaker ("... وستارمر يدعو لتنفيذه كاملا")
                clauses[-1] = (start, c)
                local = c
                continue
            cut = None
            for q in range(start - 1, max(chosen.k, clauses[-1][0]), -1):
                if view[q].low in ("،", ",", "؛", ";"):
                    cut = q + 1
                    break
                if not lang_en and q == start - 1 and view[q].low in self.lex.w.ar_subordinators:
                    # '... "أنها اتهامات لا أساس لها" بعدما اتهمت الخارجية الأميركية روسيا ...': the
                    # subordinate clause is the other speaker's, comma or not
                    cut = q
                    break
                if view[q].low == QUOTE:
                    break
            if cut is None or (
                start - cut > 3
                and view[cut].low not in self.lex.ar_connectors
                and view[cut].low not in self.lex.w.en_while
            ):
                continue
            if (
                not lang_en
                and view[cut].low in self.lex.w.ar_relatives
                and not c.tracked
                and local is not None
                and local.tracked
            ):
                # "..., التي أعاد الرئيس الأمريكي العمل بها": an untracked subject inside a relative clause
                # is part of the tracked speaker's sentence, not a statement of its own
                continue
            clauses.append((cut, c))
            local = c
        if lang_en and clauses[-1][1] is not None:
            end = self._while_other(view, nps, max(chosen.k, clauses[-1][0]))
            if end is not None:
                clauses.append((end, None))
        if not lang_en and clauses[-1][1] is not None and clauses[-1][1].tracked:
            end = self._ar_while_other(view, nps, max(chosen.k, clauses[-1][0]), clauses[-1][1].speaker)
            if end is not None:
                clauses.append((end, None))
        return clauses

    def _ar_while_other(
        self, view: list[Token], nps: dict[int, NP], after: int, speaker: str | None
    ) -> int | None:
        """ "حذر بلينكن من التصعيد، في وقت أجّل فيه وزير الدفاع ... زيارته": a "، في وقت/في حين/بينما"
        clause whose subject is someone else ends the statement (even without a verb of saying)."""
        w = self.lex.w
        for q in range(after + 1, len(view) - 2):
            if view[q - 1].low not in ("،", ",") or view[q].low not in w.ar_while:
                continue
            s = q + 1
            if view[q].low == "في":
                if view[s].low not in ("وقت", "حين", "الوقت"):
                    continue
                s += 1
            for r in range(s, min(len(view), s + 5)):
                np_ = nps.get(r)
                if np_ is not None and not np_.clitic:
                    if np_.status == "other" or (np_.status == "tracked" and np_.speaker != speaker):
                        return q
                    break
        return None

    def _en_subordinate_start(self, view: list[Token], i: int) -> int | None:
        """The subordinator ("which", "after", "when" ...) right before the subject at ``i`` (after "the"),
        when words of the sentence come before it."""
        while i > 0 and view[i - 1].low in ("the", "a", "an"):
            i -= 1
        if i >= 3 and view[i - 1].low in self.lex.w.en_subordinators:
            return i - 1
        return None

    def _while_other(self, view: list[Token], nps: dict[int, NP], after: int) -> int | None:
        """ "Starmer called it historic, while U.S. officials gave no timeline": a ", while" clause with
        a subject of its own (someone not tracked) ends the statement."""
        for q in range(after + 1, len(view) - 2):
            if view[q].low in self.lex.w.en_while and view[q - 1].low in (",", QUOTE):
                s = q + 2 if view[q + 1].low in ("the", "a", "an") else q + 1
                np_ = nps.get(s) or nps.get(q + 1)
                if np_ is not None and np_.status == "other":
                    return q
        return None

    def _subordinate_start(self, view: list[Token], k: int, subject_after: bool = False) -> int | None:
        """Where a subordinate clause opened right before the verb at ``k`` begins ("بعد أن", "عندما"),
        when a comma sets it apart from a main clause before it; None otherwise."""
        w = self.lex.w
        if view[k - 1].low in w.ar_subordinators:
            start = k - 1
        elif (
            subject_after
            and view[k - 1].low in ("،", ",")
            and view[k].low[:1] in ("و", "ف")
            and view[k].low[1:] in self.lex.verbs
            and any(t.low in self.lex.verbs for t in view[: k - 1])
        ):
            # 'ليعود المراسل ويؤكد: "..."، فكررت المتحدثة إجابتها: "..."': after someone else's words, a
            # coordinated clause with its own subject after the verb is the statement
            return k
        elif k > 1 and view[k - 1].low in ("أن", "ان") and view[k - 2].low in w.ar_subordinators_an:
            start = k - 2
        else:
            return None
        if start < 2 or view[start - 1].low not in ("،", ","):
            return None
        return start

    def _while_cut(self, view: list[Token], start: int, floor: int) -> int | None:
        """The first word of a ", while"/"، بينما" clause that ends at ``start`` (None without one)."""
        for q in range(start - 1, floor, -1):
            low = view[q].low
            if low in ("،", ",", "؛", ";", QUOTE):
                w = self.lex.w
                if (
                    low != QUOTE
                    and q + 1 < start
                    and (view[q + 1].low in w.en_while or view[q + 1].low in w.ar_while)
                ):
                    return q + 1
                return None
        return None


def opening_np(view: list[Token], nps: dict[int, NP], lex: Lexicon) -> NP | None:
    """The noun phrase opening an English sentence: at its first word, after "the", or after a title of
    two or more capitalised words the registry lacks ("Foreign Secretary David Lammy was interviewed",
    not "If Johnson's number is up")."""
    if not view:
        return None
    if 0 in nps:
        return nps[0]
    i = 1 if view[0].low == "the" else 0
    caps = 0
    while i < min(len(view), 4) and i not in nps:
        t = view[i]
        if not t.case[:1].isupper() or t.low in lex.en_fillers or t.low in lex.w.en_subordinators:
            return None
        if t.low in ("if", "as", "while", "when", "but", "and", "after", "before"):
            return None
        caps += 1
        i += 1
    if caps == 1:
        return None
    return nps.get(i)


MAX_SUBHEADING_WORDS = 8


def is_subheading(text: str, unit: Unit) -> bool:
    """A short line of its own without a sentence's final punctuation: a subheading between paragraphs
    ("حرمان طهران من قدراتها المالية").  The article goes on with the same speaker after it."""
    a, b = unit.start, unit.end
    while a > 0 and text[a - 1] in " \t":
        a -= 1
    while b < len(text) and text[b] in " \t":
        b += 1
    if (a > 0 and text[a - 1] != "\n") or (b < len(text) and text[b] != "\n") or a == 0:
        return False
    line = text[unit.start : unit.end].rstrip()
    words = len(line.split())
    # a line in capitals may be longer ("WAR SHAKES EUROPE'S PATH TO ENERGY INDEPENDENCE, CLIMATE GOALS")
    return (
        bool(line)
        and line[-1] not in ".!?؟:;؛\"»”'"
        and (words <= MAX_SUBHEADING_WORDS or (line.isupper() and words <= 2 * MAX_SUBHEADING_WORDS))
    )


def age_context(doc: AttributionMixin, unit: Unit) -> None:
    """A unit without speech: the current speaker grows older (not over a subheading: a short line of
    its own inside the text).  In English a later bare "he said" may still refer to them only if this
    unit names that person again ("..., Howe was asked ...")."""
    ctx = doc.ctx
    if ctx is None or is_subheading(doc.masked, unit):
        return
    occasion = False
    if doc.lang == "ar" and len(unit.sentences) == 1:
        words = scan_words(doc.lowered, unit.start, min(unit.end, unit.start + 30))[:2]
        # "جاء ذلك خلال مؤتمر صحفي": where the statement was made; the speaker goes on
        occasion = len(words) == 2 and f"{words[0]} {words[1]}" in doc.lex.w.ar_occasion_openers
    if not occasion:
        ctx.age += len(unit.sentences)
    if doc.lang == "ar" and ctx.tracked and ctx.person is not None and ctx.age <= MAX_CONTEXT_AGE:
        others = doc.other_people(unit, ctx.person)
        if others:
            ctx.rivals = ctx.rivals | others
    if doc.lang == "en" and ctx.pronoun_ok:
        person = doc.reg.persons.get(ctx.person or "")
        names = (
            {w.lower() for n in (person.surnames_en + person.names_en) for w in n.split()}
            if person
            else set()
        )
        words = scan_words(doc.lowered, unit.start, unit.end)[:25]
        # (or the unit's subject is a pronoun that can be that person: "He was asked what steps ...")
        g = doc.lex.en_pronouns.get(words[0], "") if words and person else ""
        # (or it keeps that person in view through a possessive or object pronoun of theirs: "No region
        # escaped her withering gaze. She noted ...")
        held = ("f" if "her" in words else "m" if ("his" in words or "him" in words) else "") if person else ""
        ctx.pronoun_ok = (
            (bool(names) and not names.isdisjoint(words))
            or (g in ("m", "f") and (g in ctx.genders or not ctx.genders))
            or (held != "" and held in ctx.genders and len(unit.sentences) == 1)
        )
