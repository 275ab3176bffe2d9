"""The split_html of before (every character a token, walked one by one), kept as the oracle its faster
successor must match cut for cut (bot.render.split_html also drops parts with no visible text, and over-long
opening tags, which tests/test_render_split.py checks separately)."""

from __future__ import annotations

import re

TELEGRAM_LIMIT = 4096

_REF_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:\s[^<>]*)?>|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{1,10});",
                    re.DOTALL)


def _ref_u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _ref_tokens(text: str) -> list[tuple[str, str | None, bool]]:
    """(token, tag name or None, closing?) for tags; entities and single characters have no name."""
    out: list[tuple[str, str | None, bool]] = []
    pos = 0
    for m in _REF_TOKEN.finditer(text):
        out.extend((ch, None, False) for ch in text[pos:m.start()])
        if m.group(2):
            out.append((m.group(0), m.group(2).lower(), bool(m.group(1))))
        else:
            out.append((m.group(0), None, False))
        pos = m.end()
    out.extend((ch, None, False) for ch in text[pos:])
    return out


def reference_split_html(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split Telegram HTML into parts of at most ``limit`` UTF-16 code units (Telegram counts those).

    Parts end at a paragraph break if possible, else a line break, else a space, else anywhere between
    two characters; never inside a tag or an entity (``&amp;``). Tags open at a cut are closed at the end
    of the part and reopened, with their attributes, at the start of the next one. Line breaks at a cut are
    dropped. Unbalanced closing tags are kept as they are.
    """
    if _ref_u16(text) <= limit:
        return [text] if text else []
    tokens = _ref_tokens(text)
    sizes = [_ref_u16(tok) for tok, _, _ in tokens]
    # the open-tag stack after each token
    stacks: list[tuple[tuple[str, str], ...]] = []
    stack: list[tuple[str, str]] = []
    for tok, name, closing in tokens:
        if name is not None:
            if closing:
                for k in range(len(stack) - 1, -1, -1):
                    if stack[k][0] == name:
                        del stack[k:]
                        break
            else:
                stack.append((name, tok))
        stacks.append(tuple(stack))

    def closers(st: tuple[tuple[str, str], ...]) -> str:
        return "".join(f"</{name}>" for name, _ in reversed(st))

    parts: list[str] = []
    i, n = 0, len(tokens)
    opened: tuple[tuple[str, str], ...] = ()
    while i < n:
        prefix = "".join(tag for _, tag in opened)
        size = _ref_u16(prefix)
        best = {0: -1, 1: -1, 2: -1, 3: -1}  # paragraph, line, space, any: the cut index (exclusive)
        j = i
        while j < n:
            st = stacks[j]
            if size + sizes[j] + _ref_u16(closers(st)) > limit:
                break
            size += sizes[j]
            j += 1
            nxt = tokens[j][0] if j < n else ""
            if j == n:
                best[0] = j
                break
            if nxt == "\n":
                best[0 if j + 1 < n and tokens[j + 1][0] == "\n" else 1] = j
            elif nxt in (" ", "\t"):
                best[2] = j
            else:
                best[3] = j
        if j == n and best[0] == n:
            cut = n
        else:
            floor = i + max(1, (j - i) // 3)  # don't leave a part almost empty for a nicer break
            cut = next((best[k] for k in (0, 1, 2) if best[k] >= floor), -1)
            if cut < 0:
                cut = best[3] if best[3] > i else (j if j > i else i + 1)
        body = "".join(tok for tok, _, _ in tokens[i:cut])
        end_stack = stacks[cut - 1] if cut > 0 else ()
        part = prefix + body + closers(end_stack)
        if body.strip():
            parts.append(part)
        opened = end_stack
        i = cut
        while i < n and tokens[i][0] in ("\n", " ", "\t"):
            i += 1
    return parts
