"""Raqib's configuration: settings dataclasses and the one TOML loader, with secrets from the environment.

The lowest layer: every stage may import it, and it imports no project package. Whether a feed's
``speaker`` names a tracked speaker is data of ``reactions``, so the caller passes the tracked ids
(``speakers=``); ``bot.settings.read_config`` does that for every command.

The file is found at ``--config PATH``, else ``$RAQIB_CONFIG``, else ``./raqib.toml``; when none of
those exists, the bundled ``raqib.example.toml`` (the real default feed list) is used.
``TELEGRAM_BOT_TOKEN`` overrides ``[telegram].token``.  Every problem is a :class:`ConfigError`
that names the key and what is wrong with it, in one line.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

EXAMPLE_CONFIG = Path(__file__).with_name("raqib.example.toml")
DEFAULT_CONFIG = Path("raqib.toml")
LANGS = ("ar", "en")
MIN_INTERVAL = 5


class ConfigError(Exception):
    """The configuration is invalid; ``str(error)`` is one line naming the key and the problem."""

    def __init__(self, key: str, problem: str, path: str | os.PathLike | None = None) -> None:
        self.key, self.problem, self.path = key, problem, path
        where = f"{path}: " if path else ""
        super().__init__(f"{where}{key}: {problem}")


@dataclass(frozen=True)
class FeedConfig:
    """One feed to poll. ``speaker`` marks an official source whose items are that speaker's statements."""

    url: str
    name: str = ""
    lang: str | None = None
    interval: int = 600
    speaker: str | None = None
    fetch_pages: bool = True


@dataclass(frozen=True)
class TelegramConfig:
    token: str = field(default="", repr=False)  # a secret: never in a repr, a log line or a traceback
    api_url: str = "https://api.telegram.org/bot"
    file_api_url: str = "https://api.telegram.org/file/bot"
    admins: tuple[int, ...] = ()
    channels: tuple[int | str, ...] = ()
    allow_private_feed_urls: bool = False


@dataclass(frozen=True)
class DigestConfig:
    time: dt.time = dt.time(8, 0)
    timezone: str = "UTC"


@dataclass(frozen=True)
class FetchConfig:
    timeout: float = 30.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    per_host: int = 2
    full_text_min_chars: int = 600
    user_agent: str = "Raqib/0.1 (+https://github.com/raqib-bot/raqib; statement tracker)"


@dataclass(frozen=True)
class DeliveryConfig:
    """``push_backlog``: push what a feed's first poll finds (its old items); off by default.
    ``max_age_hours``: a push that Telegram keeps refusing with transient errors (outage, 5xx, timeouts) is
    retried until it is this old, then failed. ``keep_sent_days``: sent pushes and digest records older than
    this are deleted (hourly, in small steps); 0 keeps them forever. ``max_delay_minutes``: when the pending
    pushes would take longer than this to send at Telegram's rate, each chat's pending statements go out
    together in one message (grouped by speaker) so no chat waits much longer than this; it cannot be below
    the time one message to every subscribed chat takes (chats / 28 a second)."""

    push_backlog: bool = False
    max_age_hours: float = 24.0
    keep_sent_days: float = 30.0
    max_delay_minutes: float = 30.0


@dataclass(frozen=True)
class Config:
    storage_path: Path
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    digest: DigestConfig = field(default_factory=DigestConfig)
    fetch: FetchConfig = field(default_factory=FetchConfig)
    delivery: DeliveryConfig = field(default_factory=DeliveryConfig)
    feeds: tuple[FeedConfig, ...] = ()
    source: Path | None = None
    demo: bool = False


def _check_keys(table: Mapping[str, Any], allowed: set[str], prefix: str, path: Path | None) -> None:
    for key in table:
        if key not in allowed:
            raise ConfigError(f"{prefix}{key}", f"unknown key (expected one of: {', '.join(sorted(allowed))})", path)


def _get(table: Mapping[str, Any], key: str, kind: type | tuple[type, ...], prefix: str, path: Path | None,
         default: Any = None) -> Any:
    if key not in table:
        return default
    value = table[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        raise ConfigError(f"{prefix}{key}", f"must be {_kind_name(kinds)}, not a boolean", path)
    if not isinstance(value, kinds):
        raise ConfigError(f"{prefix}{key}", f"must be {_kind_name(kinds)}, got {type(value).__name__}", path)
    return value


def _kind_name(kinds: tuple[type, ...]) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false", list: "a list",
             dict: "a table"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def parse_time(value: str) -> dt.time:
    """``"08:00"`` -> ``time(8, 0)``; raises ValueError on anything else."""
    hours, sep, minutes = value.strip().partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        raise ValueError(f"{value!r} is not a time of day in HH:MM form")
    h, m = int(hours), int(minutes)
    if not (0 <= h < 24 and 0 <= m < 60):
        raise ValueError(f"{value!r} is not a time of day in HH:MM form")
    return dt.time(h, m)


def check_timezone(name: str) -> str:
    """Return ``name`` if it is an IANA timezone, else raise ValueError.

    Checked against the list of zones first: ``ZoneInfo`` itself raises OSError for a folder ("America",
    "Etc") or an over-long name, which is not a ValueError.
    """
    problem = ValueError(f"{name[:60]!r} is not a known timezone (use an IANA name such as Asia/Riyadh)")
    if not isinstance(name, str) or len(name) > 64 or name not in _zones():
        raise problem
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise problem from exc
    return name


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones()) | {"UTC"}


def check_feed_url(url: str) -> str:
    """Feed URLs are absolute http(s) URLs."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{url!r} is not an http(s) URL")
    return url.strip()


def parse_feed(raw: Any, prefix: str, path: Path | None = None, *,
               speakers: Collection[str] | None = None) -> FeedConfig:
    """One ``[[feeds]]`` table. ``speakers``: the tracked speaker ids ``speaker`` may name (None: not checked)."""
    if not isinstance(raw, dict):
        raise ConfigError(prefix.rstrip("."), "must be a table with at least a url", path)
    _check_keys(raw, {"url", "name", "lang", "interval", "speaker", "fetch_pages"}, prefix, path)
    if "url" not in raw:
        raise ConfigError(f"{prefix}url", "is required", path)
    try:
        url = check_feed_url(_get(raw, "url", str, prefix, path))
    except ValueError as exc:
        raise ConfigError(f"{prefix}url", str(exc), path) from None
    lang = _get(raw, "lang", str, prefix, path)
    if lang is not None and lang not in LANGS:
        raise ConfigError(f"{prefix}lang", f"must be one of {', '.join(LANGS)}, got {lang!r}", path)
    interval = _get(raw, "interval", int, prefix, path, 600)
    if interval < MIN_INTERVAL:
        raise ConfigError(f"{prefix}interval", f"must be at least {MIN_INTERVAL} seconds, got {interval}", path)
    speaker = _get(raw, "speaker", str, prefix, path) or None
    if speaker is not None and speakers is not None and speaker not in speakers:
        ids = ", ".join(speakers)
        raise ConfigError(f"{prefix}speaker", f"unknown speaker {speaker!r} (known: {ids})", path)
    return FeedConfig(
        url=url,
        name=_get(raw, "name", str, prefix, path, "") or "",
        lang=lang,
        interval=interval,
        speaker=speaker,
        fetch_pages=_get(raw, "fetch_pages", bool, prefix, path, True),
    )


def parse_config(data: Mapping[str, Any], path: Path | None = None,
                 env: Mapping[str, str] | None = None, *, speakers: Collection[str] | None = None) -> Config:
    """Validate a parsed TOML document into a :class:`Config`.

    :param speakers: the tracked speaker ids a feed's ``speaker`` may name; None skips that check.

    :raises ConfigError: on the first problem found.
    """
    env = os.environ if env is None else env
    _check_keys(data, {"storage", "telegram", "digest", "fetch", "delivery", "feeds", "demo"}, "", path)
    for section in ("storage", "telegram", "digest", "fetch", "delivery"):
        if section in data and not isinstance(data[section], dict):
            raise ConfigError(section, "must be a table", path)

    storage = data.get("storage", {})
    _check_keys(storage, {"path"}, "storage.", path)
    db_path = _get(storage, "path", str, "storage.", path, "data/raqib.db")
    if not db_path.strip():
        raise ConfigError("storage.path", "must not be empty", path)
    base = path.parent if path else Path.cwd()
    storage_path = Path(db_path) if Path(db_path).is_absolute() else base / db_path

    tg = data.get("telegram", {})
    _check_keys(tg, {"token", "api_url", "file_api_url", "admins", "channels", "allow_private_feed_urls"},
                "telegram.", path)
    token = env.get("TELEGRAM_BOT_TOKEN") or _get(tg, "token", str, "telegram.", path, "")
    api_url = _get(tg, "api_url", str, "telegram.", path, TelegramConfig.api_url)
    if not api_url.startswith(("http://", "https://")):
        raise ConfigError("telegram.api_url", f"must be an http(s) URL, got {api_url!r}", path)
    file_api_url = _get(tg, "file_api_url", str, "telegram.", path, api_url.replace("/bot", "/file/bot"))
    admins = _get(tg, "admins", list, "telegram.", path, [])
    for i, admin in enumerate(admins):
        if not isinstance(admin, int) or isinstance(admin, bool):
            raise ConfigError(f"telegram.admins[{i}]", f"must be a Telegram user id (an integer), got {admin!r}", path)
    channels = _get(tg, "channels", list, "telegram.", path, [])
    for i, channel in enumerate(channels):
        if isinstance(channel, bool) or not isinstance(channel, int | str):
            raise ConfigError(f"telegram.channels[{i}]", "must be a chat id or an @username", path)
    telegram = TelegramConfig(
        token=token.strip(), api_url=api_url, file_api_url=file_api_url, admins=tuple(admins),
        channels=tuple(channels),
        allow_private_feed_urls=_get(tg, "allow_private_feed_urls", bool, "telegram.", path, False),
    )

    dg = data.get("digest", {})
    _check_keys(dg, {"time", "timezone"}, "digest.", path)
    try:
        digest_time = parse_time(_get(dg, "time", str, "digest.", path, "08:00"))
    except ValueError as exc:
        raise ConfigError("digest.time", str(exc), path) from None
    try:
        timezone = check_timezone(_get(dg, "timezone", str, "digest.", path, "UTC"))
    except ValueError as exc:
        raise ConfigError("digest.timezone", str(exc), path) from None

    fc = data.get("fetch", {})
    _check_keys(fc, {"timeout", "max_bytes", "max_redirects", "per_host", "full_text_min_chars", "user_agent"},
                "fetch.", path)
    defaults = FetchConfig()
    timeout = float(_get(fc, "timeout", (int, float), "fetch.", path, defaults.timeout))
    if timeout <= 0:
        raise ConfigError("fetch.timeout", "must be a positive number of seconds", path)
    ints = {}
    for key, minimum in (("max_bytes", 1024), ("max_redirects", 0), ("per_host", 1), ("full_text_min_chars", 0)):
        ints[key] = _get(fc, key, int, "fetch.", path, getattr(defaults, key))
        if ints[key] < minimum:
            raise ConfigError(f"fetch.{key}", f"must be at least {minimum}, got {ints[key]}", path)
    fetch = FetchConfig(timeout=timeout, user_agent=_get(fc, "user_agent", str, "fetch.", path,
                                                         defaults.user_agent), **ints)

    dl = data.get("delivery", {})
    _check_keys(dl, {"push_backlog", "max_age_hours", "keep_sent_days", "max_delay_minutes"}, "delivery.", path)
    keep_sent_days = float(_get(dl, "keep_sent_days", (int, float), "delivery.", path, DeliveryConfig.keep_sent_days))
    if not 0 <= keep_sent_days <= 3650 or 0 < keep_sent_days < 1:
        raise ConfigError("delivery.keep_sent_days", f"must be 0 (keep) or 1 to 3650 days, got {keep_sent_days:g}",
                          path)
    max_age_hours = float(_get(dl, "max_age_hours", (int, float), "delivery.", path, DeliveryConfig.max_age_hours))
    if not 0 < max_age_hours <= 24 * 30:
        raise ConfigError("delivery.max_age_hours", f"must be more than 0 and at most 720 hours, got {max_age_hours:g}",
                          path)
    max_delay = float(_get(dl, "max_delay_minutes", (int, float), "delivery.", path, DeliveryConfig.max_delay_minutes))
    if not 1 <= max_delay <= 24 * 60:
        raise ConfigError("delivery.max_delay_minutes", f"must be 1 to 1440 minutes, got {max_delay:g}", path)
    delivery = DeliveryConfig(push_backlog=_get(dl, "push_backlog", bool, "delivery.", path, False),
                              max_age_hours=max_age_hours, keep_sent_days=keep_sent_days,
                              max_delay_minutes=max_delay)

    raw_feeds = _get(data, "feeds", list, "", path, [])
    feeds = tuple(parse_feed(raw, f"feeds[{i}].", path, speakers=speakers) for i, raw in enumerate(raw_feeds))
    seen: set[str] = set()
    for i, feed in enumerate(feeds):
        if feed.url in seen:
            raise ConfigError(f"feeds[{i}].url", f"{feed.url} is listed twice", path)
        seen.add(feed.url)

    return Config(storage_path=storage_path, telegram=telegram, digest=DigestConfig(digest_time, timezone),
                  fetch=fetch, delivery=delivery, feeds=feeds, source=path,
                  demo=_get(data, "demo", bool, "", path, False))


def config_path(explicit: str | os.PathLike | None = None, env: Mapping[str, str] | None = None) -> Path | None:
    """Which file to read: ``--config``, else ``$RAQIB_CONFIG``, else ``./raqib.toml`` if it exists."""
    env = os.environ if env is None else env
    if explicit is not None:
        if not str(explicit).strip():
            raise ConfigError("--config", "the path is empty (give a configuration file)")
        return Path(explicit)
    if env.get("RAQIB_CONFIG"):
        return Path(env["RAQIB_CONFIG"])
    return DEFAULT_CONFIG if DEFAULT_CONFIG.exists() else None


def load_config(explicit: str | os.PathLike | None = None, env: Mapping[str, str] | None = None, *,
                speakers: Collection[str] | None) -> Config:
    """Read and validate the configuration.

    :param speakers: the tracked speaker ids (``reactions.load_registry().tracked``) a feed's ``speaker`` may
        name; required so that no caller forgets the check (None skips it deliberately).

    :raises ConfigError: the file is missing (when named explicitly), unreadable, not TOML, or invalid.
    """
    path = config_path(explicit, env)
    source = path or EXAMPLE_CONFIG
    try:
        raw = Path(source).read_bytes()
    except FileNotFoundError:
        raise ConfigError("config", f"file {source} does not exist") from None
    except IsADirectoryError:
        raise ConfigError("config", f"{source} is a folder, not a file") from None
    except OSError as exc:
        raise ConfigError("config", f"cannot read {source}: {exc.strerror}") from None
    raw = raw.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte-order mark (Windows editors write one)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ConfigError("config", f"{source} is not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line}); "
                                    "save it as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("config", f"{source} is not valid TOML: {exc}") from None
    return parse_config(data, source if path else None, env, speakers=speakers)
