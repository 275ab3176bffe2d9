"""The bot's way to read the configuration: :func:`config.load_config` with the feeds' speakers checked
against the registry (``config`` sits below ``reactions`` and cannot know the speakers itself)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from config import Config, load_config
from reactions import load_registry


def tracked_speakers() -> tuple[str, ...]:
    """The ids a feed's ``speaker`` may name."""
    return tuple(speaker.id for speaker in load_registry().tracked)


def read_config(explicit: str | os.PathLike | None = None, env: Mapping[str, str] | None = None) -> Config:
    """The configuration (``--config``, ``$RAQIB_CONFIG``, ``./raqib.toml`` or the bundled example).

    :raises config.ConfigError: the configuration is invalid (one line naming the key).
    """
    return load_config(explicit, env, speakers=tracked_speakers())
