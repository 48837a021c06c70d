"""Errors the library raises; the CLI turns them into messages and exit codes."""


class NewsdedupError(Exception):
    """Base class: a failure a user can act on, with a message that says how."""


class ConfigError(NewsdedupError):
    """A configuration key is unknown, of the wrong type, or out of range (exit 2)."""


class InputError(NewsdedupError):
    """The inputs as a whole cannot be used: nothing to read, or a missing path (exit 1)."""


class MissingDependencyError(ConfigError):
    """The inputs or settings need an optional package that is not installed (exit 2); the message names the extra."""


class ClusterRunError(NewsdedupError):
    """The Dask cluster a run was sent to failed it: workers lost past Dask's retries, the scheduler gone (exit 1)."""


class LabelsError(NewsdedupError):
    """A ground-truth labels file or a golden report cannot be used (exit 2)."""


class IndexStoreError(NewsdedupError):
    """An index cannot be used: damaged, unreachable, or written by something else (exit 1)."""


class ForeignIndexError(ConfigError):
    """``--index`` names something that is not a newsdedup index, or one built with other settings (exit 2)."""


class DamagedIndexError(IndexStoreError):
    """A stored value is not what newsdedup wrote (exit 1); the index layer adds which index it is in."""


class UnknownArticleError(NewsdedupError):
    """An article id a command names is not among its inputs, or was skipped (exit 2)."""
