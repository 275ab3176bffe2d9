"""Text preparation: folding for matching, masking of markup, sentence splitting, quotations, tokens.

Everything here works on the *original* text's coordinates: markup is masked by replacing it with
spaces (same length), sentences and quotations are ``(start, end)`` spans of the original string, and
tokens carry their original offsets next to their folded form.  Folding is only ever applied to
copies used for matching, so offsets never need to be mapped back.
"""

from __future__ import annotations

import re
import unicodedata
from collections import namedtuple
from collections.abc import Callable, Iterator

# --- folding -------------------------------------------------------------------------------------

_DELETE = (
    [chr(c) for c in range(0x064B, 0x0660)]  # harakat, shadda, sukun, ...
    + ["\u0670", "\u0640", "\u06e1", "\u06ed"]  # superscript alef, tatweel, small marks
    + ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u061c", "\u00ad"]
)
_MAP = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ى": "ي",
    "ی": "ي",
    "ې": "ي",
    "ئ": "ي",
    "ة": "ه",
    "ۀ": "ه",
    "ە": "ه",
    "ؤ": "و",
    "ک": "ك",
    "ڪ": "ك",
    "گ": "ك",
    "پ": "ب",
    "چ": "ج",
    "ڤ": "ف",
    "ژ": "ز",
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "„": '"',
    "‟": '"',
    "〝": '"',
    "〞": '"',
    "＂": '"',
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "`": "'",
    "´": "'",
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\u3000": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2004": " ",
    "\u2005": " ",
    "\u2006": " ",
    "\u2008": " ",
    "\t": " ",
    "#": " ",
    "_": " ",
    "–": "-",
    "—": "-",
    "‒": "-",
    "―": "-",
    "−": "-",
    "٬": ",",
    "٫": ".",
}
for _i in range(10):
    _MAP[chr(0x0660 + _i)] = str(_i)
    _MAP[chr(0x06F0 + _i)] = str(_i)
_TABLE = str.maketrans({**{c: None for c in _DELETE}, **_MAP})
_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufeff\uff01-\uff5e]")
_INITIALISM = re.compile(r"\b((?:[A-Z]\.){2,})")


def fold_case(text: str) -> str:
    """Fold for matching but keep letter case (names are matched case-sensitively in English)."""
    if not text:
        return ""
    if _PRESENTATION.search(text):
        text = unicodedata.normalize("NFKC", text)
    text = text.translate(_TABLE)
    if "." in text:
        text = _INITIALISM.sub(lambda m: m.group(1).replace(".", ""), text)
    return text


def fold(text: str) -> str:
    """The public matching normaliser: Arabic letter/diacritic folding, quote and space unification,
    Arabic-Indic digits to ASCII, ``U.S.`` to ``US``, lower case, collapsed spaces."""
    if not isinstance(text, str):
        return ""
    return " ".join(fold_case(text).lower().split())


# --- language ------------------------------------------------------------------------------------

_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3\ufb50-\ufdff\ufe70-\ufefc]")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")


def detect_language(text: str) -> str:
    """``ar`` when Arabic letters are at least 30% of the letters (first 1,500 characters), else ``en``."""
    if not isinstance(text, str) or not text:
        return "en"
    sample = text[:1500]
    ar = len(_ARABIC_LETTER.findall(sample))
    la = len(_LATIN_LETTER.findall(sample))
    if ar + la == 0:
        return "en"
    return "ar" if ar / (ar + la) >= 0.3 else "en"


# --- masking -------------------------------------------------------------------------------------

_MARKUP = re.compile(
    r"\[/?[A-Za-z][\w-]{0,60}(?:\s[^\[\]\n]{0,3000})?\]"  # WordPress-style shortcodes
    r"|<[A-Za-z/!][^<>\n]{0,1000}>"  # HTML tags and comments
    r"|&(?:[a-z]{2,8}|#\d{1,6});"  # entities
    r"|https?://\S{1,500}"  # URLs
    r"|-{8,}|_{8,}|={8,}"  # rules
)


# the same patterns one by one, each tried only when its first character occurs (a single alternation
# is slow: the regex engine tries every branch at every position)
_MARKUP_PARTS = (
    ("[", re.compile(r"\[/?[A-Za-z][\w-]{0,60}(?:\s[^\[\]\n]{0,3000})?\]")),
    ("<", re.compile(r"<[A-Za-z/!][^<>\n]{0,1000}>")),
    ("&", re.compile(r"&(?:[a-z]{2,8}|#\d{1,6});")),
    ("http", re.compile(r"https?://\S{1,500}")),
    ("--------", re.compile(r"-{8,}")),
    ("________", re.compile(r"_{8,}")),
    ("========", re.compile(r"={8,}")),
)


def _spaces(m: re.Match[str]) -> str:
    return " " * (m.end() - m.start())


def mask_markup(text: str) -> str:
    """Replace shortcodes, tags, entities and URLs by spaces of the same length."""
    if "[" not in text and "<" not in text and "&" not in text and "http" not in text and "---" not in text:
        return text
    parts = [rx for first, rx in _MARKUP_PARTS if first in text]
    if not parts:
        return text
    if len(parts) == 1:
        return parts[0].sub(_spaces, text)
    # leftmost match first (ties: in the order above), as one alternation would do
    nxt = [rx.search(text) for rx in parts]
    out = []
    pos = 0
    while True:
        best = None
        for i, m in enumerate(nxt):
            if m is not None and m.start() < pos:
                m = nxt[i] = parts[i].search(text, pos)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        if best is None:
            break
        out.append(text[pos : best.start()])
        out.append(" " * (best.end() - best.start()))
        pos = best.end()
    out.append(text[pos:])
    return "".join(out)


# --- sentences -----------------------------------------------------------------------------------

_ABBREV = frozenset(
    """mr mrs ms dr prof gen lt col maj capt cmdr adm sgt cpl sen rep gov st jr sr rev hon no nos vs etc
    brig cdr cmdr pvt spc amb sec pres rt supt
    inc corp co ltd jan feb mar apr jun jul aug sep sept oct nov dec fig approx dept est mt ft u.s
    e.g i.e""".split()
)
_TERMINATOR = re.compile(r"([.!?؟][.!?؟]*|…)([\"'»”’“)\]]*)(?=(\s+)|$|[\u0621-\u064a«“\"]|[A-Z][a-z]+\s)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_TERMINATOR_CHARS = ".!?؟…"  # where a _TERMINATOR match can begin


def _terminators(para: str) -> Iterator[re.Match[str]]:
    """The matches of ``_TERMINATOR.finditer(para)``, found faster: the full pattern is tried only where
    a terminator character stands (the only places a match can begin), found by ``str.find`` (memchr),
    which crosses Arabic text several times faster than a search for a character class."""
    match = _TERMINATOR.match
    find = para.find
    live = []  # [next position, character] of the terminator characters the paragraph holds
    for ch in _TERMINATOR_CHARS:
        c = find(ch)
        if c >= 0:
            live.append([c, ch])
    if not live:
        return
    if len(live) == 1:  # (the usual case: full stops only)
        c, ch = live[0]
        while c >= 0:
            m = match(para, c)
            if m is None:
                c = find(ch, c + 1)
            else:
                yield m
                c = find(ch, m.end())
        return
    pos = 0
    while live:
        for nc in live:
            if nc[0] < pos:
                nc[0] = find(nc[1], pos)
        live = [nc for nc in live if nc[0] >= 0]
        if not live:
            return
        c = min(nc[0] for nc in live)
        m = match(para, c)
        if m is None:
            pos = c + 1
        else:
            yield m
            pos = m.end()


def _is_boundary(para: str, m: re.Match[str]) -> bool:
    if m.start() == 0 or para[m.start() - 1].isspace():
        # " ..." or a stray mark after a space: not a sentence end; but Arabic pages often set their full
        # stop apart ("ما بين 2005 و2008 . وكانت"): a lone "." between spaces, after an Arabic word or a
        # number and before an Arabic word, ends the sentence
        if m.group(0) != "." or m.group(3) is None or m.start() < 2:
            return False
        before = para[m.start() - 2]
        rest = para[m.end() : m.end() + 8].lstrip()
        return (
            ("\u0621" <= before <= "\u064a" or before.isdigit())
            and bool(rest)
            and "\u0621" <= rest[0] <= "\u064a"
        )
    punct = m.group(1)
    after = m.end()
    if punct == ".." and _arabic_headline(para):
        return False  # "البنتاغون يحذر.. الأسلحة الأميركية في مرمى القراصنة": one headline
    if m.group(3) is None:  # no space after: only when Arabic (or a quote) follows directly
        if after < len(para) and para[after].isupper() and m.group(1) == "." and not m.group(2):
            # "over the past two decades.Esper also accused" (paragraphs run together when scraped)
            before = para[max(0, m.start() - 3) : m.start()]
            return len(before) == 3 and before.isalpha() and before.islower()
        return after < len(para) and not ("A" <= para[after] <= "z")
    if punct != ".":
        return True
    rest = para[after : after + 40].lstrip()
    if not rest or "\u0600" <= rest[0] <= "\u06ff":
        return True
    wb = _WORD_BEFORE.search(para, max(0, m.start() - 40), m.start())
    if wb:
        word = wb.group(1).lower().rstrip(".")
        nxt = rest[0]
        if "." in word:  # an initialism ("U.N.", "U.S."): never a sentence end before a name
            return False
        if word in ("no", "nos") and not nxt.isdigit():
            return True  # "No. 10", but "The answer was no. Ambassador X said"
        if word in _ABBREV or (len(word) == 1 and word.isalpha()):
            # "U.S. officials", "Gen. Mark Milley", "Sir J. Smith": no break before a lower-case word
            # or a capitalised word after a title abbreviation.
            if nxt.islower() or word in _ABBREV or len(word) == 1:
                return False
        if nxt.islower() and nxt.isascii():
            return False
    return True


def _arabic_headline(para: str) -> bool:
    """A short Arabic line without a sentence's final punctuation (a headline: its ".." joins two parts)."""
    line = para.rstrip()
    return (
        bool(line)
        and line[-1] not in ".!?؟:؛\"»”'"
        and len(line.split()) <= 20
        and any("\u0621" <= c <= "\u064a" for c in line[:12])
    )


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (already masked).  Lines always break; full stops break even without
    a following space when Arabic follows; abbreviations and initials do not break."""
    return sentences_and_paragraphs(text)[0]


def sentences_and_paragraphs(
    text: str, joins: Callable[[str, str], bool] | None = None
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """:func:`split_sentences` and :func:`paragraphs` of ``text`` in one pass over its lines.  ``joins``
    (last word of an Arabic line, first word of the next) says when a line break is no break: an Arabic
    line hard-wrapped in the middle of a sentence or a name ("هدد وزير الدفاع الأمريكي لويد\nأوستن")."""
    spans: list[tuple[int, int]] = []
    paras: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos < n:
        nl = _next_break(text, pos, joins)
        para = text[pos:nl]
        if para and not para.isspace():  # (what ``paragraphs`` keeps: ``para.strip()`` is not empty)
            paras.append((pos, nl))
        start = 0
        for m in _terminators(para):
            if _is_boundary(para, m):
                _add_span(spans, para, pos, start, m.end())
                start = m.end()
        _add_span(spans, para, pos, start, len(para))
        pos = nl + 1
    return spans, paras


def _add_span(spans: list[tuple[int, int]], para: str, offset: int, a: int, b: int) -> None:
    seg = para[a:b]
    body = seg.strip()
    if not body:
        return
    a += len(seg) - len(seg.lstrip())
    if _ALNUM.search(body):
        spans.append((offset + a, offset + a + len(body)))


_ALNUM = re.compile(r"[^\W_]")


def _next_break(text: str, pos: int, joins: Callable[[str, str], bool] | None = None) -> int:
    """The next line break at or after ``pos`` that ends a line (len(text) if none).  A hard-wrapped line
    of old wire copy ("The United States on Tuesday\ncondemned an attack ...") goes on: a line ending in a
    letter or a comma followed by a line opening with a lower-case Latin letter is one line."""
    n = len(text)
    while True:
        nl = text.find("\n", pos)
        if nl < 0:
            return n
        if (
            nl > 0
            and nl + 1 < n
            and "a" <= text[nl + 1] <= "z"
            and (text[nl - 1].isalpha() or text[nl - 1] == ",")
            and text[nl - 1] < "\u0600"
        ):
            pos = nl + 1
            continue
        if joins is not None and 0 < nl < n - 1 and "\u0621" <= text[nl + 1] <= "\u064a":
            line_start = text.rfind("\n", 0, nl) + 1
            last = text[line_start:nl].rsplit(None, 1)
            first = text[nl + 1 : nl + 40].split(None, 1)
            if last and first and joins(last[-1], first[0]):
                pos = nl + 1
                continue
        return nl


def paragraphs(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    n = len(text)
    while pos < n:
        nl = _next_break(text, pos)
        if text[pos:nl].strip():
            out.append((pos, nl))
        pos = nl + 1
    return out


# --- quotations ----------------------------------------------------------------------------------

_CURLY = "“”„‟"


_QUOTE_CHARS = re.compile("[«»“”„‟\"＂‘'’]")
_QUOTE_MARKS = "«»“”„‟\"＂‘'’"  # the characters of _QUOTE_CHARS


def _positions(text: str, chars: str, start: int, end: int) -> Iterator[int]:
    """The positions of any of ``chars`` in ``text[start:end]``, in order: what a search for the character
    class finds, read with ``str.find`` per character (memchr), several times faster on Arabic text."""
    find = text.find
    live = []
    for ch in chars:
        i = find(ch, start, end)
        if i >= 0:
            live.append([i, ch])
    if len(live) == 1:
        i, ch = live[0]
        while i >= 0:
            yield i
            i = find(ch, i + 1, end)
        return
    while live:
        nxt = min(live)  # (by position: the characters differ, so no two positions are equal)
        i = nxt[0]
        yield i
        i = find(nxt[1], i + 1, end)
        if i < 0:
            live.remove(nxt)
        else:
            nxt[0] = i


def find_quotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans (opening mark .. closing mark inclusive) of quotations in ``text[start:end]`` (one paragraph).

    « » are directional (a lone » opens); “ ” „ ‟ form one family where a mark closes when a quotation
    is open and opens otherwise (so the odd ” used on both sides works); ASCII " toggles; single quotes
    count only at word edges.  An unclosed quotation runs to the end of the paragraph."""
    spans: list[tuple[int, int]] = []
    open_at = -1
    family = ""
    for i in _positions(text, _QUOTE_MARKS, start, end):
        ch = text[i]
        if ch in "‘'’":
            prev = text[i - 1] if i > start else " "
            nxt = text[i + 1] if i + 1 < end else " "
            if open_at < 0:
                if ch != "’" and (prev.isspace() or prev in "([—-:") and nxt.isalnum():
                    open_at, family = i, "s"
            elif family == "s" and ch != "‘" and not prev.isspace() and not nxt.isalnum():
                spans.append((open_at, i + 1))
                open_at = -1
            continue
        fam = "g" if ch in "«»" else ("c" if ch in _CURLY else "a")
        if open_at < 0 and ch in '”"' and not spans and i > start and text[i - 1] in ".,!?…":
            after = text[i + 1] if i + 1 < end else " "
            if after.isspace() or after in ".,;":
                # '... here,” Türk told a news conference', 'There can be no justification," Pompeo said.': the
                # paragraph's opening mark was lost (or the quotation runs on from the paragraph before)
                spans.append((start, i + 1))
                continue
        if open_at < 0:
            open_at, family = i, fam
        elif family == "s":
            open_at, family = i, fam  # a double mark inside an open single quotation: drop the single one
        elif fam == family or {fam, family} == {"a", "c"}:
            if not (ch == "«" and fam == "g"):  # a nested or stray opener keeps the first
                spans.append((open_at, i + 1))
                open_at = -1
    if open_at >= 0 and family != "s":
        spans.append((open_at, end))
    return spans


# --- tokens ------------------------------------------------------------------------------------

PLACEHOLDER = "\u0640"  # tatweel: stands in for deleted characters so folding keeps offsets
_TABLE_1TO1: dict[int, str] = {}
for _c in _DELETE:
    _TABLE_1TO1[ord(_c)] = PLACEHOLDER
for _k, _v in _MAP.items():
    _TABLE_1TO1[ord(_k)] = _v
for _cp in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFF00)) + list(range(0xFF01, 0xFF5F)):
    _n = unicodedata.normalize("NFKC", chr(_cp))
    if len(_n) == 1 and _n != chr(_cp):
        _TABLE_1TO1[_cp] = _TABLE_1TO1.get(ord(_n), _n)


# the 1:1 map without presentation forms, as (char, replacement) pairs: chained str.replace of the few
# characters present is several times faster than str.translate on Arabic text (no value is also a key)
_REPLACE_1TO1 = tuple(
    (chr(k), v) for k, v in sorted(_TABLE_1TO1.items()) if not (0xFB50 <= k < 0xFE00 or 0xFE70 <= k < 0xFF5F)
)
_PRESENTATION_1TO1 = re.compile("[\ufb50-\ufdff\ufe70-\ufeff\uff01-\uff5e]")


def _may_hold_presentation_forms(text: str) -> bool:
    """Cheap: may ``text`` hold a character of U+F000-U+FFFF (the presentation forms are among them)?  In
    UTF-8 exactly those begin with the byte 0xEF; encoding and one memchr cost a fifth of a search for
    the character class on Arabic text, and ASCII text is known at once."""
    return not text.isascii() and b"\xef" in text.encode("utf-8", "surrogatepass")


def fold_keep_offsets(text: str) -> str:
    """Fold character by character (same length as ``text``): deleted marks become a placeholder."""
    if _may_hold_presentation_forms(text) and _PRESENTATION_1TO1.search(text):
        return text.translate(_TABLE_1TO1)
    for ch, rep in _REPLACE_1TO1:
        if ch in text:
            text = text.replace(ch, rep)
    return text


_TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}"
    r"|[^\W_](?:[^\W_]|['](?=[^\W_]))*"
    r"|[^\s\w]"
)


_TOKEN_PLAIN = re.compile(r"\w+(?:'\w+)*|[^\s\w]")
_INITIAL_CHECK = re.compile(r"[A-Z]\.[A-Z]")


class Token(namedtuple("_TokenFields", "start end low case ar")):
    """A word or punctuation mark: offsets in the original text, folded lower-case and cased forms, and
    whether it is an Arabic word.  Immutable; a tuple underneath, so that :func:`tokenize`, which makes
    more of these than of anything else, builds them in C (``_new_token``)."""

    __slots__ = ()

    def __new__(cls, start: int, end: int, low: str, case: str, ar: bool | None = None) -> Token:
        if ar is None:
            ar = "\u0600" <= case[0] <= "\u06ff"  # an Arabic word
        return _tuple_new(cls, (start, end, low, case, ar))

    def __repr__(self) -> str:
        return f"Token({self.start}, {self.end}, {self.case!r})"


_tuple_new = tuple.__new__


def tokenize(text: str, start: int = 0, end: int | None = None, folded: str | None = None) -> list[Token]:
    """Tokens of ``text[start:end]``; pass ``folded`` (from :func:`fold_keep_offsets`) to reuse it."""
    if folded is None:
        folded = fold_keep_offsets(text)
    if end is None:
        end = len(text)
    toks: list[Token] = []
    append = toks.append
    new = _tuple_new  # Token(...) without the Python-level __new__
    # folded text holds no "_", so \w is [^\W_]; the initialism branch only when one may occur
    seg_has_dot = "." in folded[start:end]
    rx = _TOKEN if (seg_has_dot and _INITIAL_CHECK.search(folded, start, end)) else _TOKEN_PLAIN
    seg = folded[start:end]
    has_ph = PLACEHOLDER in seg
    # No token spans white space: the segment's chunks between spaces are read in turn, a chunk of letters
    # and digits alone is one token, and only chunks with punctuation go through the regex (which is slow
    # on Arabic text).  (The regex's one lookahead, "'" before a letter, never looks past a chunk's end.)
    pos = start
    find = folded.find
    for chunk in seg.split():
        a = find(chunk, pos)
        pos = b = a + len(chunk)
        if chunk.isalnum():  # (no "." or "'": the initialism and possessive rules do not apply)
            if has_ph and PLACEHOLDER in chunk:
                chunk = chunk.replace(PLACEHOLDER, "")
                if not chunk:
                    continue
            if "\u0600" <= chunk[0] <= "\u06ff":
                append(new(Token, (a, b, chunk, chunk, True)))
            else:
                append(new(Token, (a, b, chunk.lower(), chunk, False)))
            continue
        word, mark = chunk[:-1], chunk[-1]
        if word.isalnum() and not mark.isalnum() and mark != "_" and not (has_ph and PLACEHOLDER in word):
            # the commonest chunk with punctuation, a word and one mark ("said,", "قال:"): two tokens, as
            # the regex reads it (a word without "." or "'" is no initialism or possessive)
            b -= 1
            if "\u0600" <= word[0] <= "\u06ff":
                append(new(Token, (a, b, word, word, True)))
            else:
                append(new(Token, (a, b, word.lower(), word, False)))
            if "\u0600" <= mark <= "\u06ff":
                append(new(Token, (b, b + 1, mark, mark, True)))
            else:
                append(new(Token, (b, b + 1, mark.lower(), mark, False)))
            continue
        _tokenize_chunk(rx, folded, a, b, has_ph, seg_has_dot, append)
    return toks


def _tokenize_chunk(
    rx: re.Pattern, folded: str, start: int, end: int, has_ph: bool, seg_has_dot: bool, append
) -> None:
    """The tokens of one chunk with punctuation in it (see :func:`tokenize`)."""
    new = _tuple_new
    for m in rx.finditer(folded, start, end):
        case = m.group()
        ph = has_ph and PLACEHOLDER in case
        if ph:
            case = case.replace(PLACEHOLDER, "")
            if not case:
                continue
        c0 = case[0]
        if "\u0600" <= c0 <= "\u06ff":  # an Arabic word
            append(new(Token, (m.start(), m.end(), case, case, True)))
            continue
        if not ph and seg_has_dot and case[-1] == "." and len(case) > 2 and case[1] == ".":
            case = case.replace(".", "")
        a = m.start()
        b = m.end()
        if case[-2:] == "'s" and len(case) >= 3 and c0 < "\u0600":  # English possessive: two tokens
            append(new(Token, (a, b - 2, case[:-2].lower(), case[:-2], False)))
            append(new(Token, (b - 2, b, "'s", "'s", False)))
            continue
        append(new(Token, (a, b, case.lower(), case, False)))


_SCAN_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+(?:'[^\W_]+)*")


_SCAN_FIX = re.compile(r"[A-Za-z]\.[A-Za-z]")
_SCAN_PLAIN = re.compile(r"\w+")  # folded text holds no "_"


def scan_words(folded: str, start: int = 0, end: int | None = None, lowered: bool = False) -> list[str]:
    """Lower-case words of folded text (placeholders dropped, "u.s." -> "us", possessive "'s" dropped):
    the same words for registry phrases and for text, so that cheap set tests agree with full matching."""
    seg = folded[start : len(folded) if end is None else end]
    if PLACEHOLDER in seg:
        seg = seg.replace(PLACEHOLDER, "")
    if not lowered:
        seg = seg.lower()
    if "'" in seg or ("." in seg and _has_initial(seg)):
        return [_fix_word(w) for w in _SCAN_WORD.findall(seg)]
    # the same words as _SCAN_WORD finds here, faster: split on spaces, and only words with punctuation
    # attached go through the (slow on non-ASCII text) regex
    words: list[str] = []
    for w in seg.split():
        if w.isalnum():
            words.append(w)
        elif w[:-1].isalnum() and not w[-1].isalnum() and w[-1] != "_":
            words.append(w[:-1])  # a word and one mark ("said,"): the word
        else:
            words.extend(_SCAN_PLAIN.findall(w))
    return words


_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _has_initial(seg: str) -> bool:
    """``_SCAN_FIX.search(seg)`` (a Latin letter, a full stop, a Latin letter), read at the full stops only."""
    i = seg.find(".", 1)
    n = len(seg) - 1
    while 0 < i < n:
        if seg[i - 1] in _ASCII_LETTERS and seg[i + 1] in _ASCII_LETTERS:
            return True
        i = seg.find(".", i + 1)
    return False


def _fix_word(w: str) -> str:
    if "." in w:
        w = w.replace(".", "")
    if w.endswith("'s") and len(w) >= 3:
        w = w[:-2]
    return w


def has_ngram(
    words: list[str], keys: frozenset[str] | set[str], last: frozenset[str] | set[str], n: int = 3
) -> bool:
    """``not keys.isdisjoint(ngrams(words, n, last))``, without building the n-grams: stops at the first."""
    for i, w in enumerate(words):
        if w not in last:
            continue
        if w in keys:
            return True
        for k in range(1, n):
            if i - k < 0:
                break
            if " ".join(words[i - k : i + 1]) in keys:
                return True
    return False


def ngrams(words: list[str], n: int = 3, last: frozenset[str] | set[str] | None = None) -> set[str]:
    """The 1..n-grams of ``words`` joined by spaces (only those ending in a word of ``last`` if given)."""
    grams: set[str] = set()
    for i, w in enumerate(words):
        if last is not None and w not in last:
            continue
        grams.add(w)
        for k in range(1, n):
            if i - k < 0:
                break
            grams.add(" ".join(words[i - k : i + 1]))
    return grams


def one_edit(a: str, b: str) -> bool:
    """Are a and b one deletion, insertion, substitution or swap of neighbours apart?"""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    if len(a) > len(b):
        a, b = b, a
    return any(b[:i] + b[i + 1 :] == a for i in range(len(b)))
