"""newsdedup: find the copies of one news article among many, group them, pick the canonical copy.

``cluster_texts`` groups articles held in memory, ``cluster_articles`` reads files and
directories, and ``Index`` keeps articles between runs and says which new ones are copies.
The README's Library section has an example.
"""

from typing import TYPE_CHECKING

__version__ = "0.1.0"

from .config import Config, load_config  # noqa: E402
from .errors import ConfigError, IndexStoreError, InputError, NewsdedupError  # noqa: E402
from .models import Article, Cluster, IndexReport, Member, Result, Skipped, Verdict  # noqa: E402
from .pipeline import cluster_articles, cluster_texts  # noqa: E402

if TYPE_CHECKING:
    from .index import Index


def __getattr__(name: str) -> object:
    """``newsdedup.Index`` on first use: the index brings numpy and SQLite, which a run does not need."""
    if name == "Index":
        from .index import Index

        return Index
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Article", "Cluster", "Config", "ConfigError", "Index", "IndexReport", "IndexStoreError", "InputError", "Member",
    "NewsdedupError", "Result", "Skipped", "Verdict", "cluster_articles", "cluster_texts", "load_config",
    "__version__",
]
