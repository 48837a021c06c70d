"""newsdedup: find the copies of one news article among many, group them, pick the canonical copy."""

__version__ = "0.1.0"

from .config import Config, load_config  # noqa: E402
from .errors import ConfigError, InputError, NewsdedupError  # noqa: E402
from .pipeline import cluster_articles  # noqa: E402

__all__ = [
    "Config", "ConfigError", "InputError", "NewsdedupError", "cluster_articles", "load_config", "__version__",
]
