"""Raqib's store: the only package with SQL. Commands open it with :func:`open_store` (open, migrate, sync the
configured feeds, recover in-flight deliveries); every function takes the database.

Other helpers' modules (``storage.chats``, ``storage.queries``, ``storage.outbox``) are imported directly.
"""

from storage.articles import (
    article_by_key,
    article_hashes,
    cluster_by_id,
    content_hash,
    import_articles,
    import_cluster,
    save_article,
    statements_of_article,
    statements_of_cluster,
)
from storage.db import open_db, transaction
from storage.errors import AlreadyExists, CannotOpen, InUse, NotFound, SchemaTooNew, StorageError
from storage.feeds import (
    RETRY_NOW,
    add_feed,
    all_feeds,
    due_feeds,
    feed_by_id,
    feed_by_url,
    record_poll_failure,
    record_poll_success,
    remove_feed,
    retry_feeds,
    retry_requested,
    sync_config_feeds,
)
from storage.models import ArticleRow, ClusterRow, FeedRow, NewArticle, SaveResult, StatementRow, utc_now
from storage.stats import stats
from storage.store import open_store

__all__ = [
    "RETRY_NOW", "AlreadyExists", "ArticleRow", "CannotOpen", "ClusterRow", "FeedRow", "InUse", "NewArticle",
    "NotFound", "SaveResult", "SchemaTooNew", "StatementRow", "StorageError",
    "add_feed", "all_feeds", "article_by_key", "article_hashes", "cluster_by_id", "content_hash", "due_feeds", "feed_by_id",
    "feed_by_url", "import_articles", "import_cluster", "open_db", "open_store", "record_poll_failure", "record_poll_success", "remove_feed",
    "retry_feeds", "retry_requested", "save_article", "statements_of_article", "statements_of_cluster", "stats",
    "sync_config_feeds", "transaction", "utc_now",
]
