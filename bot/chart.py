"""Charts: statements per day by speaker as a PNG (matplotlib, Agg backend), for /chart and the digest.

``/chart [TOPIC|SPEAKER] [DAYS]``: the tracked speakers' statements per day over the last DAYS days (default
:data:`DEFAULT_DAYS`, at most :data:`MAX_DAYS`), about TOPIC when given (each body's first statement on it is
marked with a star), or one speaker's alone. The numbers are /who's (:mod:`storage.charts`); the caption states
them. Arabic labels need no preparation: matplotlib (3.11) lays text out with libraqm (HarfBuzz shaping, FriBiDi
ordering), so Arabic letters take their joined forms and runs read right to left; the font is matplotlib's own
DejaVu Sans, which has the Arabic glyphs, so nothing is downloaded and no system font is needed
(tests/test_features_chart.py checks the glyphs and their order).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot import render
from bot.handlers import Feature
from bot.i18n import t
from storage import charts

log = logging.getLogger(__name__)

DEFAULT_DAYS = 14
DIGEST_DAYS = 7  # the digest's small chart: the chat's speakers over the last week
MAX_DAYS = 90
FONT = "DejaVu Sans"
COLOURS = ("#1f4e79", "#c0504d", "#2e8b57", "#8e6bb8", "#d98c1f", "#4a4a4a")


def render_png(data: charts.DailyCounts, names: dict[str, str], title: str, lang: str, *, small: bool = False,
               first_label: str = "") -> bytes:
    """The chart as PNG bytes: one line per speaker with statements (markers on each day), the first statement
    of each body marked with a star when ``data.first`` has them. ``names``: speaker id -> display name."""
    import matplotlib  # imported on first use: the service starts without loading it

    matplotlib.use("Agg")  # no display: render to memory only
    from matplotlib.figure import Figure

    width, height, dpi = (6.0, 3.0, 100) if small else (9.0, 4.8, 110)
    figure = Figure(figsize=(width, height), dpi=dpi)
    axes = figure.subplots()
    x = list(range(len(data.days)))
    shown = [s for s in data.counts if data.total(s) > 0] or list(data.counts)[:1]
    for n, speaker in enumerate(shown):
        colour = COLOURS[n % len(COLOURS)]
        values = data.counts[speaker]
        axes.plot(x, values, marker="o", markersize=3 if small else 4, linewidth=1.6, color=colour,
                  label=f"{names.get(speaker, speaker)} ({sum(values)})")
        first = data.first.get(speaker)
        if first is not None and first.day in data.days:
            i = data.days.index(first.day)
            axes.plot([i], [values[i]], marker="*", markersize=12 if small else 16, color=colour,
                      markeredgecolor="black", linestyle="none", zorder=5)
    if data.first and first_label:
        axes.plot([], [], marker="*", markersize=10, color="white", markeredgecolor="black", linestyle="none",
                  label=first_label)
    step = max(1, len(x) // (6 if small else 10))
    axes.set_xticks(x[::step])
    axes.set_xticklabels([d[5:] for d in data.days[::step]], fontfamily=FONT, fontsize=7 if small else 8)
    axes.set_ylim(bottom=0)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.grid(axis="y", alpha=0.3)
    axes.set_title(title, fontfamily=FONT, fontsize=10 if small else 12)
    if not small:
        axes.set_ylabel(t("chart_axis", lang), fontfamily=FONT)
    if shown:
        axes.legend(prop={"family": FONT, "size": 7 if small else 8}, loc="upper left",
                    frameon=False)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def parse_args(words: list[str], resolve: Any) -> tuple[str | None, str | None, int] | None:
    """``/chart`` arguments -> (speaker id, topic, days); None when DAYS is out of range."""
    days = DEFAULT_DAYS
    words = list(words)
    if words and words[-1].lstrip("-").isdigit():
        days = int(words.pop())
        if not 1 <= days <= MAX_DAYS:
            return None
    rest = " ".join(words).strip()[:200]
    if not rest:
        return None, None, days
    speaker = resolve(rest)
    return (speaker, None, days) if speaker else (None, rest, days)


@dataclass(frozen=True)
class ChartSpec:
    """Everything :func:`render_png` needs (computed from the database on the event loop's thread; the
    rendering itself may then run in a worker thread)."""

    data: charts.DailyCounts
    labels: dict[str, str]
    title: str
    lang: str
    small: bool
    first_label: str

    def png(self) -> bytes:
        return render_png(self.data, self.labels, self.title, self.lang, small=self.small,
                          first_label=self.first_label)


def chart_spec(db: Any, names: render.Names, lang: str, *, speaker: str | None, topic: str | None, days: int,
               now: dt.datetime | None = None, small: bool = False,
               speakers: list[str] | None = None) -> ChartSpec:
    """The numbers and labels of a chart for a chat in ``lang`` (every tracked speaker, or ``speakers``)."""
    now = now or dt.datetime.now(dt.UTC)
    chosen = [speaker] if speaker else list(speakers if speakers is not None else names.tracked)
    data = charts.daily_counts(db, now, days, chosen, topic=topic)
    labels = {s: names.speaker(s, lang, flag=False) for s in chosen}  # flag emoji have no glyph in the font
    if topic:
        title = t("chart_title_topic", lang, topic=topic, days=days)
    elif speaker:
        title = t("chart_title_speaker", lang, name=labels[speaker], days=days)
    else:
        title = t("chart_title", lang, days=days)
    return ChartSpec(data, labels, title, lang, small, t("chart_first", lang) if topic else "")


class ChartCommand(Feature):
    """/chart over the bot's :class:`bot.handlers.Handlers`."""

    async def command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        h = self.handlers
        lang = (await h.chat_of(update)).lang
        parsed = parse_args(list(context.args or []), h.resolve)
        if parsed is None:
            await h.reply(update, t("usage_chart", lang, max=MAX_DAYS), lang)
            return
        speaker, topic, days = parsed
        spec = await h.store.read(chart_spec, h.names, lang, speaker=speaker, topic=topic, days=days)
        png = await asyncio.to_thread(spec.png)  # matplotlib is CPU work: keep the event loop free
        message = update.effective_message
        assert message is not None
        await message.reply_photo(photo=png, caption=caption(spec.data, h.names, lang, spec.title),
                                  parse_mode=ParseMode.HTML)


def caption(data: charts.DailyCounts, names: render.Names, lang: str, title: str) -> str:
    """The photo's caption (HTML): the title and each speaker's count, as /who gives them."""
    lines = [f"<b>{render.esc(title)}</b>"]
    for speaker, values in data.counts.items():
        line = f"{render.esc(names.speaker(speaker, lang))}: {sum(values)}"
        first = data.first.get(speaker)
        if first is not None:
            line += " · " + t("chart_first_on", lang, day=first.day)
        lines.append(line)
    if not any(sum(v) for v in data.counts.values()):
        lines.append(t("chart_empty", lang))
    return render.rtl("\n".join(lines), lang)  # short: at most a 200-character topic and one line per speaker
