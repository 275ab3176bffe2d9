"""Mentions: registry phrases found in a unit's view, grouped into noun phrases that name a speaker
(a tracked body, someone else, or an anaphor such as "the department"), with the person they name."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .registry import Lexicon, Mention, Registry
from .text import Token, tokenize
from .units import QUOTE, Unit

_ORG_KINDS = ("org", "title")
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
    home: str = ""  # an anaphor's speaker in a text about its country (see lexicon.toml [[anaphor]])
    max_age: int = -1
    clitic: str = ""
    named: bool = False  # the person is named in the text (not only the holder of a title on the date)
    spokes: bool = (
        False  # a spokesperson of an anaphor ("متحدث باسم الوزارة"): the person's gender, not the body's
    )
    sole: bool = False  # an anaphor naming the one body of ``refers`` the text names (lexicon [[anaphor]])


@functools.lru_cache(maxsize=8)
def _first_words(phrases: frozenset[str]) -> frozenset[str]:
    """The first words of the phrases (read once per registry's list, not once per unit)."""
    return frozenset(p.split()[0] for p in phrases)


def _post_specifier(gap: list[Token]) -> bool:
    """Words that narrow a title down ("للشؤون الأوروبية", "for European and Eurasian Affairs")."""
    first = gap[0]
    if first.ar:
        if first.low == "لدي" and 2 <= len(gap) <= 3:
            return True  # "السفير البريطاني لدى المملكة جون جنكينز"
        return first.low.startswith(("لل", "لشو")) and first.low not in ("للصحفيين", "للصحافيين", "للصحافه")
    return first.low == "for" and all(t.case[:1].isupper() or t.low in ("and", "of", "the") for t in gap[1:])


class MentionsMixin:
    """Finding speakers' noun phrases (mixed into the per-text state, which provides these fields)."""

    reg: Registry
    lex: Lexicon
    text: str
    masked: str
    folded: str
    lang: str
    day: str
    doc_persons: set[str]
    _bare_title_ok: dict[tuple[str, str], bool]

    def note_persons(self, unit: Unit) -> None:
        """Remember people named in full in a unit without speech (their surnames may follow alone)."""
        firsts = self.reg.person_first_tokens
        if not any(w.lower() in firsts for w in _WORDS.findall(self.folded, unit.start, unit.end)):
            return
        view = tokenize(self.masked, unit.start, unit.end, folded=self.folded)
        for _a, _b, m, _c in self.mentions(view):
            if m.kind == "person" and m.full and len(m.persons) == 1:
                self.doc_persons.add(m.persons[0])

    def other_people(self, unit: Unit, person: str) -> frozenset[str]:
        """Genders of the registry's people other than ``person`` named in a unit (in full, or by a
        surname after their full name)."""
        view = tokenize(self.masked, unit.start, unit.end, folded=self.folded)
        out = set()
        for _a, _b, m, _c in self.mentions(view):
            if m.kind == "person" and len(m.persons) == 1 and m.persons[0] != person:
                if m.full or m.persons[0] in self.doc_persons:
                    out.add(self.reg.persons[m.persons[0]].gender)
        return frozenset(out)

    def mentions(self, view: list[Token]) -> list[tuple[int, int, Mention, str]]:
        """Registry phrases in the view: longest first, no overlaps, in text order."""
        idx = self.reg.index
        cache = idx._key_cache
        cands = []
        bare_first = _first_words(self.lex.w.en_bare_titles)
        # Arabic words spelt another way than the registry's ("وزراة", "برايان"): matched as listed
        respelt: set[int] = set()
        alternates: dict[int, tuple[str, ...]] = {}
        seen = view
        known = idx._canon_cache
        known_alt = idx._alt_cache
        for i, tok in enumerate(view):
            low = tok.low
            if len(low) >= 5 and tok.ar:
                canon = known.get(low)
                if canon is None:
                    canon = idx.canonical(low)
                if canon:
                    if seen is view:
                        seen = list(view)
                    seen[i] = Token(tok.start, tok.end, canon, tok.case, True)
                    respelt.add(i)
                    continue
                alts = known_alt.get(low)
                if alts is None:
                    alts = idx.alternates(low)
                if alts:
                    alternates[i] = alts
        view = seen
        for i, tok in enumerate(view):
            bare = self._bare_title(view, i) if tok.low in bare_first and not tok.ar else None
            if bare is not None:
                m = idx.match_at(view, i)
                if not m or m[0] <= 2:  # "the Prime Minister's spokesman": the longer phrase wins
                    cands.append((i, i + 2, bare, tok.low))
                    continue
            if not cache.get(tok.low, True):
                continue  # known not to begin any phrase (an empty list: no index key)
            m = idx.match_at(view, i)
            if m and respelt and all(k in respelt for k in range(i, i + m[0])):
                m = None  # only respelt words: too weak a match
            if (m is None or m[0] == 1) and i in alternates and i + 1 < len(view):
                # a listed name word standing for another spelling of a name ("برايان هوك": "براين هوك")
                for alt in alternates[i]:
                    trial = list(view)
                    trial[i] = Token(tok.start, tok.end, alt, tok.case, True)
                    m2 = idx.match_at(trial, i)
                    if m2 and m2[0] >= 2 and not all(k in respelt for k in range(i + 1, i + m2[0])):
                        m = m2
                        break
            if m:
                mm = m[1]
                if mm.doc_only and not self._doc_only_ok(view, i, i + m[0], mm):
                    continue
                if mm.kind == "person" and not mm.full and self._other_bearer(view, i, i + m[0], mm):
                    continue
                if (
                    mm.kind == "person"
                    and not mm.full
                    and not mm.doc_only
                    and not tok.ar
                    and view[i].start < 600
                    and not all(p in self.doc_persons for p in mm.persons)
                    and self.headline_zone(view[i].start)
                ):
                    # a headline's surname ("Hague: 'No justification' for ..."): its person is named in
                    # full further on
                    self.doc_persons.update(p for p in mm.persons if self._named_in_text(p))
                if mm.kind == "anaphor" and (
                    self._foreign_anaphor(view, i + m[0]) or self._names_other_body(view, i, i + m[0])
                ):
                    mm = Mention("org", speaker="foreign-ministries", gender=mm.gender)
                if (
                    mm.kind in _ORG_KINDS
                    and self.reg.is_tracked(mm.speaker)
                    and self._foreign(view, i, i + m[0])
                ):
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

    def _bare_title(self, view: list[Token], i: int) -> Mention | None:
        """ "the Prime Minister", "the High Commissioner" written bare: the holder of that unique post on
        the publication date, when the text has named that holder in full and calls nobody else by the
        title (no "Israeli Prime Minister", no "Prime Minister Netanyahu" of another country)."""
        # a headline opening the text with the title ("Foreign Secretary Says EU Will Impose Sanctions")
        headline = i == 0 and i + 1 < len(view) and not self.text[: view[0].start].strip()
        if not headline and (i == 0 or i + 1 >= len(view) or view[i - 1].low != "the"):
            return None
        if (
            i >= 2
            and view[i - 2].low not in (",", QUOTE, ":", "-", "(")
            and view[i - 2].low not in self.lex.verbs
        ):
            return (
                None  # only as a clause's subject or right after a reporting verb ("said the Prime Minister")
            )
        phrase = f"{view[i].low} {view[i + 1].low}"
        if phrase not in self.lex.w.en_bare_titles:
            return None
        nxt = view[i + 2] if i + 2 < len(view) else None
        if (
            nxt is not None
            and nxt.case[:1].isupper()
            and nxt.low.isalpha()
            and not (headline and nxt.low in self.lex.verbs)
        ):
            return None  # "the Prime Minister Boris Johnson": the name decides, not this rule
        role = phrase.replace("defense", "defence").replace(" ", "-")
        found = []
        for sp in self.reg.tracked:
            pid = self.reg.holder(sp.id, role, self.day)
            if pid is not None and (pid in self.doc_persons or (headline and self._named_in_text(pid))):
                found.append((sp.id, pid))
        if len(found) != 1 or not self._title_only_theirs(phrase, found[0][1]):
            return None
        return Mention("title", speaker=found[0][0], role=role)

    def _named_in_text(self, pid: str) -> bool:
        """Is the person named in full anywhere in the text (a headline's title named further on)?"""
        low = self.folded.lower()
        return any(n.lower() in low for n in self.reg.persons[pid].names_en)

    def _title_only_theirs(self, phrase: str, pid: str) -> bool:
        """Is every use of the title in the text bare or with this holder's name (none of another
        country's, none before someone else's name)?"""
        key = (phrase, pid)
        cached = self._bare_title_ok.get(key)
        if cached is not None:
            return cached
        lex = self.lex
        own = {w.lower() for n in self.reg.persons[pid].names_en for w in n.split()}
        ok = True
        pat = r"(\S+)[ \t]+" + re.escape(phrase).replace(r"\ ", r"\s+") + r"\b(?:'s)?[ \t]*(\S*)"
        for mt in re.finditer(pat, self.folded, flags=re.IGNORECASE):
            before = mt.group(1).lower().strip("\"'(")
            after = mt.group(2).strip(".,;:\"')")
            stem = before[:-2] if before.endswith("'s") else before
            if before in lex.en_foreign_adjs or stem in lex.en_foreign_countries:
                ok = False
            elif after[:1].isupper() and after.isalpha() and after.lower() not in own:
                ok = False
            if not ok:
                break
        self._bare_title_ok[key] = ok
        return ok

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

    def _other_bearer(self, view: list[Token], a: int, b: int, m: Mention) -> bool:
        """A bare surname that belongs to someone else or is no name here: "Austin Kaplan", "in Austin",
        "جون جونسون" (another person's first name before it, not this person's)."""
        if not view[a].ar:
            nxt = view[b] if b < len(view) else None
            if nxt is not None and nxt.case[:1].isupper() and not nxt.case.isupper() and nxt.low.isalpha():
                return True  # followed by another name word: a different person's first name
            return a > 0 and view[a - 1].low in self.lex.w.en_place_prepositions
        if a == 0:
            return False
        prev = view[a - 1].low
        lex = self.lex
        if prev not in self.reg.person_first_tokens or (
            prev in lex.ar_complementizers
            or prev in lex.ar_no_subject
            or prev in lex.ar_fillers
            or prev in lex.verbs
        ):
            return False
        own = self.reg.first_names(m.persons)
        return prev not in own and prev.lstrip("وفبل") not in own

    def _foreign_anaphor(self, view: list[Token], b: int) -> bool:
        """ "وزير الخارجية الصيني", "وزارة الدفاع الروسية": a generic title or body with another
        country's adjective right after it."""
        return b < len(view) and view[b].ar and view[b].low in self.lex.w.ar_nationality_adjs

    def _names_other_body(self, view: list[Token], a: int, b: int) -> bool:
        """ "the ministry said" where the last body named with that noun is someone else's ("according
        to the Health Ministry in Gaza. ..., the ministry said"): English, ``lexicon.toml``
        ``en_anaphor_heads``; the nearest earlier naming ("Health Ministry", "Ministry of Defence", not
        another "the ministry") decides, tracked when a registry body's name covers it."""
        if (
            b - a != 2
            or view[a].ar
            or view[a].low != "the"
            or view[b - 1].low not in self.lex.w.en_anaphor_heads
        ):
            return False
        head = view[b - 1].low
        for m in reversed(list(re.compile(rf"\b{head}\b").finditer(self.lowered, 0, view[a].start))):
            # (the window read below ends before this anaphor, and an earlier "the <head>" is skipped, so
            # the mentions read there never come back here for the same words)
            s, e = m.span()
            before = self.lowered[max(0, s - 12) : s].split()
            after = self.lowered[e : e + 4]
            if before and before[-1] in ("the", "this", "that", "its", "a") and not after.startswith(" of"):
                continue  # another anaphor of the same chain
            lo = self.lowered.rfind("\n", 0, s) + 1
            lo = max(lo, s - 80)
            hi = self.lowered.find("\n", e)
            hi = min(e + 60, len(self.lowered) if hi < 0 else hi)
            window = tokenize(self.masked, lo, min(hi, view[a].start), folded=self.folded)
            for x, y, mm, _c in self.mentions(window):
                if window[x].start <= s < window[y - 1].end and mm.kind in _ORG_KINDS:
                    return not self.reg.is_tracked(mm.speaker)
            return True
        return False

    def _doc_only_ok(self, view: list[Token], a: int, b: int, m: Mention) -> bool:
        """A bare surname derived from a full name ("May", "كوك"): only for someone already named in full
        in this text, and only right beside a reporting verb ("..., May said", "وأضاف كوك")."""
        if any(p not in m.doc_only for p in m.persons):
            return True
        verbs = self.lex.verbs
        if not any(p in self.doc_persons for p in m.persons):
            # a headline's surname, the full name further on ("Hague wants 'firm' Ukraine response",
            # "US condemns attack in Erbil - Pompeo", "Hague: 'No justification' for ...")
            if view[a].ar or not self.headline_zone(view[a].start):
                return False
            named = [p for p in m.persons if self._named_in_text(p)]
            nxt = view[b].low if b < len(view) else ""
            prev = view[a - 1].low if a > 0 else ""
            if not named or not (
                nxt in verbs or nxt in self.lex.w.en_headline_verbs or nxt == ":" or prev in ("-", ":")
            ):
                return False
            self.doc_persons.update(named)  # (named in full in this text, further on)
            return True
        return (b < len(view) and view[b].low in verbs) or (a > 0 and view[a - 1].low in verbs)

    def headline_zone(self, pos: int) -> bool:
        """Is ``pos`` on a headline: a line of at most 20 words without a sentence's final punctuation,
        with only such lines before it (a title, a caption, a date line) near the text's start?"""
        if pos > 600:
            return False
        end = self.masked.find("\n", pos)
        lines = self.masked[: len(self.masked) if end < 0 else end].split("\n")
        for k, line in enumerate(lines):
            line = line.strip()
            if not line:
                continue
            if line[-1] in '.!?"”' and k < len(lines) - 1:
                return False
        own = lines[-1].strip()
        return bool(own) and own[-1] not in ".!?" and len(own.split()) <= 20

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
                    and all(
                        t.low in self.lex.w.np_join_gap or _mark(t) or self._alias_quote(t, sides[-1])
                        for t in gap
                    )
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
                elif (
                    np_.j + 2 < len(view)
                    and view[np_.j].low == "("
                    and view[np_.j + 2].low == ")"
                    and len(view[np_.j + 1].case) >= 2
                    and view[np_.j + 1].case.isupper()
                ):
                    np_.j += 3  # "the Prime Minister's Spokesman (PMS) said": its acronym
                if (
                    np_.status == "tracked"
                    and np_.named
                    and np_.i > 0
                    and view[np_.i - 1].low in self.lex.w.ar_member_titles
                ):
                    # "عضو البرلمان البريطاني ألان دنكان": a minister named as a member of parliament or
                    # a party speaks as that, not for the government
                    np_ = NP(np_.i - 1, np_.j, "other", None, np_.person, np_.genders, personlike=True)
                nps[np_.i] = np_
        if not self.lang == "ar":
            for q, np_ in list(nps.items()):
                if np_.status == "tracked" and not view[q].ar:
                    ext = self._possessive_post(view, np_) or self._post_after(view, np_)
                    if ext is not None:
                        nps[q] = ext
        return nps

    def _post_after(self, view: list[Token], np_: NP) -> NP | None:
        """ "Sunak's Downing Street office said", "the Pentagon statement said": a body's office or document
        right after its name, then a reporting verb."""
        j = np_.j
        w = self.lex.w
        if j + 1 >= len(view) or view[j + 1].low not in self.lex.verbs:
            return None
        head = view[j].low
        if head not in w.en_possessive_bodies and head not in w.en_documents:
            return None
        return NP(np_.i, j + 1, "tracked", np_.speaker, None, frozenset({"n"}))

    def _possessive_post(self, view: list[Token], np_: NP) -> NP | None:
        """ "the Pentagon's principal director for trusted AI", "the State Department's Legislative Affairs
        office", "DOT&E's latest report": a post, office or document of a tracked body, which speaks for it
        (a "former" one does not)."""
        j = np_.j
        n = len(view)
        if j + 1 >= n or view[j].low != "'s":
            return None
        w = self.lex.w
        head = -1
        former = False
        for q in range(j + 1, min(n, j + 5)):
            t = view[q]
            low = t.low
            if low in w.former:
                former = True
                continue
            if low in w.en_possessive_posts or low in w.en_documents:
                head = q
                continue
            if not low.isalpha() or low in self.lex.verbs:
                break
        if head < 0:
            return None
        if former:
            return NP(np_.i, head + 1, "other", genders=np_.genders)
        e = head + 1
        if e < n and view[e].low in ("for", "of", "on") and view[head].low in w.en_possessive_posts:
            # "director for trusted AI and autonomy", "Bureau of Intelligence and Research"
            q = e + 1
            while q < n and q - e <= 7 and view[q].low.isalpha() and view[q].low not in self.lex.verbs:
                q += 1
            if q < n and view[q].low in (",", "("):
                e = q
        doc = view[head].low in w.en_documents
        # "Kimberly Sablon, the Pentagon's principal director": the named holder; "Blinken's adviser": not him
        apposed = np_.person is not None and any(t.low == "," for t in view[np_.i : np_.j])
        return NP(
            np_.i,
            e,
            "tracked",
            np_.speaker,
            np_.person if apposed else None,
            np_.genders
            if apposed
            else (frozenset({"n"}) if doc or view[head].low in w.en_possessive_bodies else frozenset({""})),
            personlike=not doc and view[head].low not in w.en_possessive_bodies,
            named=apposed,
        )

    def _alias_quote(self, tok: Token, sides: set[str]) -> bool:
        """A quoted alias of the body just named: 'وزارة الدفاع الأمريكية «البنتاجون» الكابتن X'."""
        if tok.low != QUOTE:
            return False
        sp = self.reg.resolve(self.text[tok.start + 1 : tok.end - 1])
        return sp is not None and f"T:{sp}" in sides

    def _org_gender(self, view: list[Token], i: int, m: Mention) -> str:
        tok = view[i]
        if not tok.ar and m.kind == "org":
            return "n"  # "the Foreign Office said ... It added": English bodies are "it"
        if m.gender:
            return m.gender
        if not tok.ar:
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

        former = any(view[k].low in self.lex.w.former for k in (i - 1, j) if 0 <= k < len(view))
        former = former or any(view[k].low in self.lex.w.former for k in range(i, j))

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
                    named=True,
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
                gs = {p.gender} | ({g for g in genders if g != "n"} if view[i].ar else set())
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
                return NP(
                    i,
                    j,
                    "anaphor",
                    genders=frozenset(genders),
                    refers=a.refers,
                    personlike=True,
                    home=a.home,
                    max_age=a.max_age,
                    spokes=True,
                )
            return NP(
                i,
                j,
                "anaphor",
                genders=frozenset({a.gender}),
                refers=a.refers,
                personlike=a.gender != "" and "any" not in a.refers and not a.body,
                home=a.home,
                max_age=a.max_age,
                sole=a.sole,
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


def _mark(tok: Token) -> bool:
    """A quotation mark around a name ('«البنتاغون»' after the quotation was found to be a name)."""
    return tok.low == QUOTE and tok.end - tok.start == 1
