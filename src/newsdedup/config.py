"""Settings: built-in defaults < user file < config.yaml < NEWSDEDUP_* environment < command-line flags.

Every tunable lives in one frozen dataclass per stage. Unknown keys, wrong types and
out-of-range values raise ConfigError naming the key, before any work starts.
"""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping

from .errors import ConfigError

ENV_PREFIX = "NEWSDEDUP_"

DEFAULT_WIRE_AGENCIES = [
    "Reuters", "Associated Press", "AP", "AFP", "Agence France-Presse", "Bloomberg",
    "dpa", "ANSA", "EFE", "Xinhua", "Kyodo", "Yonhap", "PTI", "ANI", "IANS", "UPI",
    "TASS", "Interfax", "Anadolu", "Europa Press", "Lusa", "Agencia Brasil", "Antara",
    "Bernama", "CNA", "AAP", "Belga", "APA", "Ritzau", "NTB", "TT", "PAP", "CTK",
]

DEFAULT_FURNITURE_PHRASES = [
    # English
    "subscribe to our newsletter", "sign up for our newsletter", "share this article",
    "share on facebook", "share on twitter", "follow us on", "read more:", "related articles",
    "related posts", "recommended for you", "all rights reserved", "accept cookies",
    "we use cookies", "cookie policy", "privacy policy", "terms of use", "back to top",
    "click here", "support our journalism", "become a patron", "donate now",
    "ad blocker", "most read", "trending now", "advertisement", "source link",
    # Spanish / Portuguese
    "suscríbete", "suscribete", "assine nossa newsletter", "inscreva-se", "compartilhe",
    "compartir en", "leia mais", "leia também", "lea también", "noticias relacionadas",
    "notícias relacionadas", "usamos cookies", "utilizamos cookies", "todos los derechos reservados",
    "todos os direitos reservados", "política de privacidad", "política de privacidade",
    # French / Italian / German
    "abonnez-vous", "inscrivez-vous", "lire aussi", "partager sur", "nous utilisons des cookies",
    "tous droits réservés", "articles similaires", "leggi anche", "iscriviti alla newsletter",
    "tutti i diritti riservati", "newsletter abonnieren", "lesen sie auch", "alle rechte vorbehalten",
    "wir verwenden cookies", "jetzt teilen",
    # Indonesian / Dutch
    "baca juga", "berita terkait", "bagikan artikel", "hak cipta dilindungi", "lees ook",
    "deel dit artikel",
]


def _setting(default: Any, low: float | None = None, high: float | None = None, help: str = "") -> Any:
    """A dataclass field that carries its allowed range and a one-line description."""
    metadata = {"low": low, "high": high, "help": help}
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata=metadata)
    return field(default=default, metadata=metadata)


# What standard input (the argument -) can hold.
STDIN_FORMATS = ("auto", "jsonl", "text")


@dataclass(frozen=True)
class InputSettings:
    max_bytes: int = _setting(10_000_000, 1, None, "an article (a file, or a JSON line) larger than this is skipped")
    extensions: list[str] = _setting([".txt", ".html", ".htm", ".jsonl", ".ndjson", ".parquet"],
                                     help="file endings read from directories")
    follow_symlinks: bool = _setting(False, help="read symbolic links that point out of an input folder")
    stdin_format: str = _setting("auto", help="what - reads: auto (JSON Lines if it starts with {), jsonl or text")


@dataclass(frozen=True)
class BoilerplateSettings:
    enabled: bool = _setting(True, help="separate body from site furniture before hashing")
    min_prose_words: int = _setting(8, 1, 200, "a block shorter than this is furniture unless between prose")
    long_prose_words: int = _setting(15, 1, 500, "a block this long is prose even without a full stop")
    max_symbol_share: float = _setting(0.3, 0.0, 1.0, "blocks with more numbers/symbols than this are tickers")
    max_furniture_words: int = _setting(120, 1, 10_000, "phrase-matched blocks up to this long are furniture")
    min_body_words: int = _setting(40, 0, 10_000, "a body with fewer prose words is a brief: every line but metadata is kept")
    segment_gap: int = _setting(4, 1, 1000, "this many non-prose blocks in a row separate page segments")
    min_segment_share: float = _setting(0.25, 0.0, 1.0, "segments with less prose than this share of the largest are dropped")
    phrases: list[str] = _setting(DEFAULT_FURNITURE_PHRASES, help="case-insensitive furniture phrases")


@dataclass(frozen=True)
class FingerprintSettings:
    shingle_size: int = _setting(5, 1, 20, "words per shingle")
    num_perm: int = _setting(128, 16, 1024, "MinHash permutations")
    seed: int = _setting(1, 0, 2**31 - 1, "MinHash seed: fixed so runs repeat")


@dataclass(frozen=True)
class CandidateSettings:
    jaccard_threshold: float = _setting(0.5, 0.05, 1.0, "MinHashLSH threshold for near-equal copies")
    containment_threshold: float = _setting(0.5, 0.05, 1.0, "sampled-shingle share for a copy inside a longer text")
    sample_modulus: int = _setting(4, 1, 1024, "sample the shingles whose hash is 0 modulo this for containment")
    containment_probes: int = _setting(16, 1, 10_000, "sample hashes each text looks up in the containment index")
    min_shared_samples: int = _setting(2, 1, 1000, "fewer probe hits is never a containment candidate")
    max_postings: int = _setting(1000, 2, 10_000_000, "sample shingles in more texts than this are ignored")


@dataclass(frozen=True)
class VerifySettings:
    min_containment: float = _setting(0.6, 0.0, 1.0, "share of the shorter text found in the other")
    min_shared_shingles: int = _setting(10, 1, 100_000, "fewer shared shingles is never a copy")
    min_anchor_agreement: float = _setting(0.9, 0.0, 1.0, "share of the shorter text's numbers and names the other has")
    max_days_apart: int = _setting(3, 0, 100_000, "copies published further apart are different stories (0: no limit)")


# Every criterion canonical.py knows, in the default order.
CANONICAL_CRITERIA = (
    "source_priority", "wire_dateline", "wire_credit", "earliest_published",
    "most_central", "most_complete", "least_boilerplate",
)


@dataclass(frozen=True)
class CanonicalSettings:
    criteria: list[str] = _setting(list(CANONICAL_CRITERIA), help="ordered tie-breaking criteria")
    source_priority: list[str] = _setting([], help="preferred sources, best first")
    wire_agencies: list[str] = _setting(DEFAULT_WIRE_AGENCIES, help="names recognised as wire agencies")


@dataclass(frozen=True)
class Config:
    input: InputSettings = field(default_factory=InputSettings)
    boilerplate: BoilerplateSettings = field(default_factory=BoilerplateSettings)
    fingerprint: FingerprintSettings = field(default_factory=FingerprintSettings)
    candidates: CandidateSettings = field(default_factory=CandidateSettings)
    verify: VerifySettings = field(default_factory=VerifySettings)
    canonical: CanonicalSettings = field(default_factory=CanonicalSettings)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return dataclasses.asdict(self)


def _coerce(key: str, value: Any, spec: dataclasses.Field[Any]) -> Any:
    """Check one value against its field's type and range; raise ConfigError naming the key."""
    kind = spec.type
    if kind == "bool":
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "yes", "no"):
            value = value.lower() in ("true", "1", "yes")
        if not isinstance(value, bool):
            raise ConfigError(f"{key}: expected true or false, got {value!r}")
        return value
    if kind in ("int", "float"):
        if isinstance(value, str):
            try:
                value = int(value) if kind == "int" else float(value)
            except ValueError:
                raise ConfigError(f"{key}: expected a number, got {value!r}") from None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{key}: expected a number, got {value!r}")
        if kind == "int" and not float(value).is_integer():
            raise ConfigError(f"{key}: expected a whole number, got {value!r}")
        value = int(value) if kind == "int" else float(value)
        low, high = spec.metadata["low"], spec.metadata["high"]
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"[{low}, {'∞' if high is None else high}]"
            raise ConfigError(f"{key}: {value} is out of range, it must be in {bounds}")
        return value
    if kind == "str":
        if not isinstance(value, str):
            raise ConfigError(f"{key}: expected a string, got {value!r}")
        return value
    if kind == "list[str]":
        if isinstance(value, str):
            value = [item.strip() for item in value.split(",") if item.strip()]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{key}: expected a list of strings, got {value!r}")
        return list(value)
    raise ConfigError(f"{key}: unsupported setting type {kind}")  # pragma: no cover


def _apply(config: Config, overrides: Mapping[str, Mapping[str, Any]], origin: str) -> Config:
    """Return a copy of ``config`` with nested ``{section: {key: value}}`` overrides applied."""
    if not isinstance(overrides, Mapping):
        raise ConfigError(f"{origin}: expected a mapping of sections, got {type(overrides).__name__}")
    sections = {f.name: f for f in fields(Config)}
    updated = {}
    for section_name, values in overrides.items():
        if section_name not in sections:
            known = ", ".join(sections)
            raise ConfigError(f"{origin}: unknown section {section_name!r} (known: {known})")
        section = getattr(config, section_name)
        if not isinstance(values, Mapping):
            raise ConfigError(f"{origin}: {section_name} must be a mapping of keys, got {values!r}")
        specs = {f.name: f for f in fields(section)}
        changes = {}
        for key, value in values.items():
            full_key = f"{section_name}.{key}"
            if key not in specs:
                known = ", ".join(specs)
                raise ConfigError(f"{origin}: unknown key {full_key!r} (known in {section_name}: {known})")
            changes[key] = _coerce(f"{origin}: {full_key}", value, specs[key])
        updated[section_name] = dataclasses.replace(section, **changes)
    result = dataclasses.replace(config, **updated)
    _check_consistency(result, origin)
    return result


def _check_consistency(config: Config, origin: str) -> None:
    for criterion in config.canonical.criteria:
        if criterion not in CANONICAL_CRITERIA:
            raise ConfigError(
                f"{origin}: canonical.criteria: unknown criterion {criterion!r} "
                f"(known: {', '.join(CANONICAL_CRITERIA)})"
            )
    if config.input.stdin_format not in STDIN_FORMATS:
        raise ConfigError(f"{origin}: input.stdin_format: {config.input.stdin_format!r} is not one of "
                          f"{', '.join(STDIN_FORMATS)}")
    if not config.input.extensions:
        raise ConfigError(f"{origin}: input.extensions must name at least one file ending")


def parse_assignment(text: str) -> tuple[str, str, str]:
    """Split ``section.key=value`` (from ``--set``) into its parts."""
    if "=" not in text or "." not in text.split("=", 1)[0]:
        raise ConfigError(f"--set {text!r}: expected SECTION.KEY=VALUE, e.g. verify.min_containment=0.7")
    name, value = text.split("=", 1)
    section, key = name.strip().split(".", 1)
    return section, key, value.strip()


# newsdedup's own settings files say so on a line of their own; a config.yaml found in the
# working directory without it, and without any of newsdedup's sections, is another program's.
MARKER = "newsdedup"
FILE_VERSION = 1
PROJECT_FILE = "config.yaml"
SECTIONS = tuple(f.name for f in fields(Config))


@dataclass(frozen=True)
class ConfigFile:
    """A settings file looked for: ``role`` is user, project (./config.yaml) or given (--config)."""

    path: str
    role: str
    status: str  # "read", "not found", "passed by" (another program's) or "skipped"


@dataclass(frozen=True)
class ResolvedConfig:
    """The effective settings, where each came from, and notes for people (foreign files passed by)."""

    config: Config
    origins: dict[str, str]  # "section.key" -> "default", a file's path, an environment variable, "command line"
    files: tuple[ConfigFile, ...]
    notes: tuple[str, ...]


def resolve_config(
    path: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    user_file: str | Path | None = None,
    read_files: bool = True,
) -> ResolvedConfig:
    """Build the effective configuration from its layers, lowest first: defaults < ``user_file``
    < ./config.yaml (or ``path``) < ``NEWSDEDUP_SECTION__KEY`` environment variables < ``overrides``.

    ``path`` is always read. Without it, ./config.yaml is read when it is newsdedup's (it has a
    ``newsdedup: 1`` line or one of the sections) and passed by with a note when it is not.
    ``read_files=False`` skips both files.
    """
    layers, files, notes = _file_layers(path, user_file, read_files)
    layers += _environment_layers(os.environ if environ is None else environ)
    if overrides:
        layers.append(_Layer(overrides, "command line"))
    config = Config()
    origins = {f"{section}.{key}": "default" for section, values in config.to_dict().items() for key in values}
    for layer in layers:
        config = _apply(config, layer.settings, layer.origin)
        for section, values in layer.settings.items():
            for key in values:
                origins[f"{section}.{key}"] = layer.key_origins.get((section, key), layer.origin)
    return ResolvedConfig(config, origins, tuple(files), tuple(notes))


@dataclass(frozen=True)
class _Layer:
    settings: Mapping[str, Mapping[str, Any]]
    origin: str  # named in error messages, and the origin of each key unless key_origins says otherwise
    key_origins: Mapping[tuple[str, str], str] = field(default_factory=dict)


def _file_layers(path: str | Path | None, user_file: str | Path | None,
                 read_files: bool) -> tuple[list[_Layer], list[ConfigFile], list[str]]:
    """The user file and ./config.yaml (or ``path``): their settings, what became of each, notes."""
    layers: list[_Layer] = []
    files: list[ConfigFile] = []
    notes: list[str] = []
    if user_file is not None:
        if not read_files:
            files.append(ConfigFile(str(user_file), "user", "skipped"))
        elif Path(user_file).is_file():
            layers.append(_Layer(_settings(_read_yaml(Path(user_file)), str(user_file)), str(user_file)))
            files.append(ConfigFile(str(user_file), "user", "read"))
        else:
            files.append(ConfigFile(str(user_file), "user", "not found"))
    if path is not None:
        if read_files:
            layers.append(_Layer(_settings(_read_yaml(Path(path)), str(path)), str(path)))
        files.append(ConfigFile(str(path), "given", "read" if read_files else "skipped"))
        return layers, files, notes
    project = Path.cwd() / PROJECT_FILE
    if not read_files:
        files.append(ConfigFile(str(project), "project", "skipped"))
    elif not project.is_file():
        files.append(ConfigFile(str(project), "project", "not found"))
    elif (data := _read_project_file(project)) is None:
        files.append(ConfigFile(str(project), "project", "passed by"))
        notes.append(f"passed by {project}: another program's file (it has no '{MARKER}: {FILE_VERSION}' line "
                     "and none of newsdedup's sections)")
    else:
        layers.append(_Layer(_settings(data, str(project), unmarked_hint=MARKER not in data), str(project)))
        files.append(ConfigFile(str(project), "project", "read"))
    return layers, files, notes


def _environment_layers(environ: Mapping[str, str]) -> list[_Layer]:
    """``NEWSDEDUP_SECTION__KEY`` variables, each key's origin the variable's name."""
    settings: dict[str, dict[str, str]] = {}
    names: dict[tuple[str, str], str] = {}
    for name, value in sorted(environ.items()):
        if not name.startswith(ENV_PREFIX) or "__" not in name[len(ENV_PREFIX):]:
            continue
        section, key = name[len(ENV_PREFIX):].lower().split("__", 1)
        settings.setdefault(section, {})[key] = value
        names[section, key] = name
    return [_Layer(settings, "environment", names)] if settings else []


def load_config(
    path: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    user_file: str | Path | None = None,
    read_files: bool = True,
) -> Config:
    """The effective configuration (see ``resolve_config`` for the layers).

    Environment variables look like ``NEWSDEDUP_VERIFY__MIN_CONTAINMENT=0.7`` (section, two
    underscores, key).
    """
    return resolve_config(path, environ, overrides, user_file, read_files).config


def config_from_dict(settings: Mapping[str, Mapping[str, Any]], origin: str) -> Config:
    """The configuration a saved ``{section: {key: value}}`` dict describes (defaults fill the rest)."""
    return _apply(Config(), settings, origin)


def _settings(data: Any, origin: str, unmarked_hint: bool = False) -> Mapping[Any, Any]:
    """The sections of a settings file, its ``newsdedup: 1`` marker checked and set aside."""
    if not isinstance(data, Mapping):
        raise ConfigError(f"{origin}: expected a mapping of sections, got {type(data).__name__}")
    if MARKER in data and data[MARKER] != FILE_VERSION:
        raise ConfigError(f"{origin}: {MARKER}: {data[MARKER]!r}: this newsdedup reads settings files of version "
                          f"{FILE_VERSION}")
    unknown = [name for name in data if name != MARKER and name not in SECTIONS]
    if unknown and unmarked_hint:
        raise ConfigError(f"{origin}: unknown section {unknown[0]!r} (known: {', '.join(SECTIONS)}); if this "
                          f"file belongs to another program, move it or run newsdedup with --no-config")
    return {name: values for name, values in data.items() if name != MARKER}


def _looks_like_ours(text: str) -> bool:
    """Whether a file that is not valid YAML has a top-level key newsdedup knows."""
    return re.search(rf"^(?:{'|'.join((MARKER, *SECTIONS))})\s*:", text, re.MULTILINE) is not None


def _read_project_file(path: Path) -> Mapping[Any, Any] | None:
    """./config.yaml when it is newsdedup's, None when it is another program's (passed by).

    A file that cannot be read as YAML is newsdedup's, and its mistake is reported, only when
    one of its lines starts with a key newsdedup knows.
    """
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read configuration file ({error.strerror or error})") from None
    try:
        data = _parse_yaml(raw.decode("utf-8"), path)
    except (UnicodeDecodeError, ConfigError) as error:
        if not _looks_like_ours(raw.decode("utf-8", errors="replace")):
            return None
        if isinstance(error, ConfigError):
            raise
        raise ConfigError(f"{path}: cannot read configuration file ({error})") from None
    if not isinstance(data, Mapping) or not (MARKER in data or any(name in SECTIONS for name in data)):
        return None
    return data


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read configuration file ({error})") from None
    return _parse_yaml(text, path)


def _parse_yaml(text: str, path: Path) -> Any:
    import yaml  # here: a run without a settings file never needs it

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}{where}: not valid YAML ({getattr(error, 'problem', error)})") from None
    return {} if data is None else data
