"""The one start-up path: every command that opens the store goes through :func:`open_store`."""

from __future__ import annotations

import logging

import sqlite_utils

from config import Config
from storage.db import open_db
from storage.feeds import sync_config_feeds
from storage.outbox import recover_in_flight

log = logging.getLogger(__name__)


def open_store(config: Config, *, deliver: bool = False) -> sqlite_utils.Database:
    """Open the database at ``config.storage_path``, migrate it, sync the configured feeds into it and,
    for the process that delivers (``deliver=True``: ``raqib run``), put the deliveries a crash left
    ``sending`` back to ``pending``.

    Only the delivering process recovers: a ``raqib stats`` run beside the service must not take back the
    messages the service is sending at that moment (they would go out twice).

    :raises CannotOpen: the file cannot be opened or created, or is not an SQLite database (one line).
    :raises SchemaTooNew: a newer Raqib wrote it (one line).
    """
    db = open_db(config.storage_path)
    try:
        sync_config_feeds(db, config.feeds)
        if deliver:
            recovered = recover_in_flight(db)
            if recovered:
                log.info("%d deliveries were in flight at the last stop; they will be sent again", recovered)
    except BaseException:
        db.close()
        raise
    return db
