"""The command line: the one module that parses options and writes to stdout and stderr.

stdout carries only the report; progress, warnings and the summary go to stderr.
Exit codes: 0 success, 1 the run failed, 2 a usage or configuration error.
"""

from __future__ import annotations

import errno
import functools
import io
import json
import os
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO, TypeVar

import click
from click.core import ParameterSource

from . import __version__
from .config import FILE_VERSION, MARKER, STDIN_FORMATS, ResolvedConfig, parse_assignment, resolve_config
from .drift import compare_reports, read_report
from .errors import ConfigError, LabelsError, NewsdedupError, UnknownArticleError
from .evaluate import Scores, evaluate, read_labels, undefined_figures
from .models import Result, Skipped
from .pipeline import cluster_articles
from .report import (
    FORMATS, index_counts, render_drift, render_evaluation, render_explanation, render_index_report,
    render_index_stats, render_json, stats, write_report,
)
from .schema import load_schema, schema_names
from .terminal import visible

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

# rich (progress bars, the terminal's width), yaml (`config show`) and the index (numpy) are
# imported where they are used: a run that needs none of them starts without them.

# A command's callback: click calls it with each option as a keyword argument.
Callback = TypeVar("Callback", bound=Callable[..., Any])
Returned = TypeVar("Returned")


class UsageFailure(click.UsageError):
    """A configuration or usage error: exit 2 with the message, no usage dump."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


def _apply_options(command: Callback, options: list[Callable[[Callback], Callback]]) -> Callback:
    for option in reversed(options):
        command = option(command)
    return command


def output_options(command: Callback, formats: tuple[str, ...] = FORMATS) -> Callback:
    """The report options every command shares."""
    return _apply_options(command, [
        click.option("--format", "output_format", type=click.Choice(formats), default="table", show_default=True,
                     help="Report format."),
        click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=str),
                     help="Write the report to this file instead of stdout (replaced whole, never half-written)."),
        click.option("-q", "--quiet", is_flag=True, help="No progress or summary on stderr (errors still show)."),
    ])


def settings_options(command: Callable[..., Returned]) -> Callable[..., Returned]:
    """--config, --no-config, --set and --threshold, resolved into one ``settings`` argument.

    Notes about the files (another program's config.yaml passed by) go to stderr unless --quiet.
    """
    @functools.wraps(command)
    def with_settings(*args: Any, config_path: str | None, no_config: bool, assignments: tuple[str, ...],
                      threshold: float | None, **kwargs: Any) -> Returned:
        settings = _resolve_settings(config_path, no_config, assignments, threshold)
        if not kwargs.get("quiet"):
            for note in settings.notes:
                _say(f"note: {note}")
        return command(*args, settings=settings, **kwargs)

    return _apply_options(with_settings, [
        click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=str),
                     envvar="NEWSDEDUP_CONFIG", show_envvar=True,
                     help="Settings file, read instead of ./config.yaml (over the user file; see `newsdedup "
                     "config path`)."),
        click.option("--no-config", is_flag=True,
                     help="Read no settings file: only defaults, NEWSDEDUP_SECTION__KEY variables and flags."),
        click.option("--set", "assignments", multiple=True, metavar="SECTION.KEY=VALUE",
                     help="Override one setting, e.g. --set verify.min_containment=0.7 (repeatable). "
                     "The environment does the same with NEWSDEDUP_SECTION__KEY, e.g. "
                     "NEWSDEDUP_VERIFY__MIN_CONTAINMENT=0.7."),
        click.option("--threshold", type=float, default=None,
                     help="Shortcut that sets verify.min_containment: the share of the shorter text the other "
                     "must contain to be its copy."),
    ])


def _input_flags(command: Callable[..., Returned]) -> Callable[..., Returned]:
    """--follow-symlinks and --stdin-format, passed on as the input.* settings they stand for."""
    @functools.wraps(command)
    def with_input_settings(*args: Any, follow_symlinks: bool, stdin_format: str | None, assignments: tuple[str, ...],
                            **kwargs: Any) -> Returned:
        flags = (("follow_symlinks", follow_symlinks and "true"), ("stdin_format", stdin_format))
        assignments = (*assignments, *(f"input.{key}={value}" for key, value in flags if value))
        return command(*args, assignments=assignments, **kwargs)

    return _apply_options(with_input_settings, [
        click.option("--follow-symlinks", is_flag=True, default=False,
                     help="Read symbolic links that point out of an input folder (input.follow_symlinks)."),
        click.option("--stdin-format", type=click.Choice(STDIN_FORMATS), default=None,
                     help="What - reads: JSON Lines, one text article, or auto: JSON Lines when it starts "
                     "with { (input.stdin_format, default auto)."),
    ])


def common_options(command: Callable[..., Returned], formats: tuple[str, ...] = FORMATS) -> Callable[..., Returned]:
    """The options every command that reads articles shares: inputs, settings, output, workers."""
    command = _apply_options(command, [
        click.option("--workers", type=click.IntRange(0, 1024), default=0, envvar="NEWSDEDUP_WORKERS",
                     show_envvar=True, show_default=True, help="Threads that clean and fingerprint (0: one per "
                     "core). The result is the same for any number. With --scheduler, the workers' own threads "
                     "count instead."),
    ])
    command = output_options(command, formats)
    command = settings_options(command)
    command = _input_flags(command)  # outside settings_options: its flags become --set assignments first
    return _apply_options(command, [
        click.argument("inputs", nargs=-1, required=True,
                       type=click.Path(exists=True, allow_dash=True, path_type=str)),
    ])


def user_config_file() -> Path:
    """The user-level settings file, in the platform's folder for it (click's rules:
    $XDG_CONFIG_HOME or ~/.config on Linux, ~/Library/Application Support on macOS, %APPDATA% on Windows)."""
    return Path(click.get_app_dir("newsdedup")) / "config.yaml"


def _resolve_settings(config_path: str | None, no_config: bool, assignments: tuple[str, ...],
                      threshold: float | None) -> ResolvedConfig:
    if no_config and config_path is not None:
        if click.get_current_context().get_parameter_source("config_path") is ParameterSource.ENVIRONMENT:
            config_path = None  # the flag wins over NEWSDEDUP_CONFIG
        else:
            raise UsageFailure("--config and --no-config contradict each other: give one of them")
    overrides: dict[str, dict[str, str | float]] = {}
    try:
        for assignment in assignments:
            section, key, value = parse_assignment(assignment)
            overrides.setdefault(section, {})[key] = value
        if threshold is not None:
            overrides.setdefault("verify", {})["min_containment"] = threshold
        return resolve_config(config_path, overrides=overrides, user_file=user_config_file(),
                              read_files=not no_config)
    except ConfigError as error:
        raise UsageFailure(str(error)) from None


def _could_be_terminal(stream: TextIO) -> bool:
    """False where rich's Console would surely say stderr is no terminal: then rich is not imported.

    rich says yes for TTY_COMPATIBLE=1 or a non-empty FORCE_COLOR, else for a tty."""
    if os.environ.get("TTY_COMPATIBLE") == "1" or os.environ.get("FORCE_COLOR"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no stream, or a closed one
        return False


def _progress_bars() -> Progress | None:
    """rich's bars for the stages on stderr, or None when stderr is not a terminal."""
    from rich.console import Console
    from rich.progress import (
        BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TaskProgressColumn, TextColumn,
        TimeElapsedColumn, TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        """Items per second of a stage."""

        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.0f}/s" if speed else "", style="progress.data.speed")

    console = Console(stderr=True)
    if not console.is_terminal:
        return None
    return Progress(
        TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
        RateColumn(), TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(),
        console=console, transient=True,
    )


class _StderrProgress:
    """Draws the library's progress callbacks as rich bars on stderr, when stderr is a terminal."""

    def __init__(self, quiet: bool) -> None:
        self.progress = None if quiet or not _could_be_terminal(sys.stderr) else _progress_bars()
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> _StderrProgress:
        if self.progress:
            self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress:
            self.progress.stop()

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if not self.progress:
            return
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=total)
        self.progress.update(self.tasks[stage], completed=done, total=total)


# Report output: the one place that decides where a report goes and how a failed write ends.

# A lone surrogate (from an undecodable file name, or a JSON \\ud800 escape) is written as the
# visible escape \\udcff, which in a JSON string is also the escape JSON itself would use.
ENCODING_ERRORS = "backslashreplace"


def _on_terminal(output: str | None) -> bool:
    """Whether the report goes to a terminal (no -o FILE, stdout not a pipe)."""
    return output is None and sys.stdout is not None and sys.stdout.isatty()


class ReportTarget:
    """Where a report goes: the ``-o`` file, or stdout; UTF-8 either way.

    A file is written beside the target and renamed into place, so a failed run never leaves
    half a report over a good one. On stdout, a reader that leaves early (``| head``) ends the
    report quietly; a write that fails (a full disk) is one line on stderr and exit 1.
    """

    def __init__(self, path: str | None, output_format: str = "table") -> None:
        self.path = path
        self.output_format = output_format
        self.on_terminal = _on_terminal(path)

    @property
    def width(self) -> int | None:
        if not self.on_terminal:
            return None
        from rich.console import Console

        return Console().width

    @property
    def color(self) -> bool:
        return self.on_terminal and self.output_format == "table"

    @property
    def table_on_stdout(self) -> bool:
        """The report is the table on stdout, which ends with the counts and the skipped inputs."""
        return self.path is None and self.output_format == "table"

    def write(self, write: Callable[[TextIO], object]) -> None:
        if self.path is None:
            _write_stdout(write)
        else:
            _write_file(self.path, write)

    def write_text(self, text: str) -> None:
        self.write(lambda stream: stream.write(text))


def _write_stdout(write: Callable[[TextIO], object]) -> None:
    if sys.stdout is None:  # started with stdout closed (`>&-`)
        raise click.ClickException(f"cannot write the report to stdout: {os.strerror(errno.EBADF)}")
    binary = getattr(sys.stdout, "buffer", None)
    wrapper = None if binary is None else io.TextIOWrapper(binary, encoding="utf-8", errors=ENCODING_ERRORS, newline="")
    stream = sys.stdout if wrapper is None else wrapper
    try:
        sys.stdout.flush()
        write(stream)
        stream.flush()
    except OSError as error:
        _discard(sys.stdout)
        if error.errno != errno.EPIPE:
            raise click.ClickException(f"cannot write the report to stdout: {error.strerror or error}") from None
        # The reader left (`| head`): not a failure; the command's verdict stands.
    finally:
        if wrapper is not None:
            with suppress(OSError, ValueError):
                wrapper.detach()


def _discard(stream: TextIO) -> None:
    """Point a standard stream at the null device, so what is still buffered cannot fail again at exit."""
    with suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)


def _write_file(path: str, write: Callable[[TextIO], object]) -> None:
    try:
        if os.path.exists(path) and not stat.S_ISREG(os.stat(path).st_mode):
            # A device or a pipe (/dev/stdout, a FIFO) cannot be renamed over; write into it.
            with open(path, "w", encoding="utf-8", errors=ENCODING_ERRORS, newline="") as stream:
                write(stream)
            return
        _replace_atomically(os.path.realpath(path), write)  # through a symlink, not over it
    except OSError as error:
        raise click.ClickException(f"{path}: cannot write the report ({error.strerror or error})") from None


def _replace_atomically(target: str, write: Callable[[TextIO], object]) -> None:
    """Write a temporary file in the target's folder, fsync it, and rename it over the target."""
    folder = os.path.dirname(target)
    if os.path.exists(target):
        mode = stat.S_IMODE(os.stat(target).st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(target)}.", suffix=".tmp")
    try:
        with open(descriptor, "w", encoding="utf-8", errors=ENCODING_ERRORS, newline="") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise
    with suppress(OSError, AttributeError):  # make the rename itself durable, where folders can be synced
        folder_descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(folder_descriptor)
        finally:
            os.close(folder_descriptor)


def _say(message: str) -> None:
    """One line for people on stderr; when nobody reads it any more (`2>&1 | head`), say nothing."""
    try:
        click.echo(message, err=True)
    except OSError as error:
        if error.errno != errno.EPIPE:
            raise
        _discard(sys.stderr)


def _write_report(result: Result, target: ReportTarget, show_all: bool = False) -> None:
    """Write the report a cluster at a time (a million-article report never sits in memory whole).

    A table on a terminal leaves out the single articles unless ``show_all``; in a file or a
    pipe it holds every cluster."""
    target.write(lambda stream: write_report(result, target.output_format, stream, width=target.width,
                                             color=target.color, singletons=show_all or not target.on_terminal))


def _run(inputs: tuple[str, ...], settings: ResolvedConfig, quiet: bool, workers: int,
         keep_bodies: bool = False, scheduler: str | None = None) -> tuple[Result, float]:
    started = time.perf_counter()
    try:
        with _StderrProgress(quiet) as progress:
            if scheduler is not None:
                result = _run_on_dask(list(inputs), settings, scheduler, progress, keep_bodies)
            else:
                result = cluster_articles(list(inputs), settings.config, on_progress=progress, stdin=sys.stdin.buffer,
                                          workers=workers or os.cpu_count() or 1, keep_bodies=keep_bodies)
    except ConfigError as error:  # settings no run can use (too few LSH bands): exit 2, as other settings
        raise UsageFailure(str(error)) from None
    except NewsdedupError as error:
        raise click.ClickException(str(error)) from None
    return result, time.perf_counter() - started


def _run_on_dask(inputs: list[str], settings: ResolvedConfig, scheduler: str, progress: _StderrProgress,
                 keep_bodies: bool) -> Result:
    """The run on the Dask cluster at ``scheduler`` (or ``local[:N]``), its client closed afterwards."""
    from .distributed import close, cluster_on_dask, connect
    from .partitions import refuse_stdin

    refuse_stdin(inputs)
    client = connect(scheduler)
    try:
        return cluster_on_dask(inputs, client, settings.config, on_progress=progress, keep_bodies=keep_bodies)
    finally:
        close(client)


def _tell(quiet: bool, table_on_stdout: bool, summary: str, skipped: Iterable[Skipped] = (),
          warnings: Iterable[str] = (), seconds: float | None = None) -> None:
    """What people read on stderr: warnings, then one summary line.

    The table on stdout already ends with the counts and the skipped inputs, so then stderr
    says only what the table lacks (other warnings, the time). The data formats and -o files
    leave the counts to stderr, wherever stdout goes.
    """
    if quiet:
        return
    for warning in warnings:
        _say(f"warning: {visible(warning)}")
    timing = "" if seconds is None else f" in {seconds:.1f} s"
    if table_on_stdout:
        if timing:
            _say(f"done{timing}")
        return
    for item in skipped:
        _say(f"warning: skipped {visible(item.path)}: {visible(item.reason)}")
    _say(summary + timing)


def _encoding_warnings(result: Result) -> list[str]:
    """A line for each article not read as clean UTF-8: another encoding, or bytes that had to be replaced."""
    return [f"{document.path}: read as {document.encoding}" for document in result.documents_not_utf8()]


def _cluster_summary(result: Result) -> str:
    summary = stats(result)
    return (f"{summary['articles']} articles, {summary['clusters']} clusters, {summary['duplicates']} duplicates, "
            f"{summary['skipped']} skipped")



CONTEXT = {"help_option_names": ["-h", "--help"]}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="newsdedup")
def main() -> None:
    """Find the copies of one news article among many and group them.

    \b
    Examples:
      newsdedup cluster seeds/
      newsdedup cluster feed.jsonl other-dir/ --format json -o clusters.json
      newsdedup index add today/ --index news.db
      newsdedup config show

    Settings, lowest first: built-in defaults < the user file < ./config.yaml (or --config) <
    NEWSDEDUP_SECTION__KEY environment variables < --set and --threshold. Exit codes: 0 success,
    1 the run or a check failed, 2 a usage or settings error.
    """


show_all_option = click.option(
    "--all", "show_all", is_flag=True,
    help="On a terminal, show the single articles in the table too (files and pipes always get them).")


@main.command(short_help="Group the copies in INPUTS and pick each canonical copy.")
@functools.partial(common_options, formats=(*FORMATS, "html"))
@show_all_option
@click.option("--scheduler", metavar="ADDRESS", envvar="NEWSDEDUP_SCHEDULER", show_envvar=True, default=None,
              help="Run on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786), or on 'local' "
              "worker processes here (local:N for N of them). The report is the local run's. Needs "
              "pip install 'newsdedup[dask]'; the workers must see the inputs at the same paths.")
def cluster(inputs: tuple[str, ...], settings: ResolvedConfig, output_format: str, output: str | None, quiet: bool,
            workers: int, show_all: bool, scheduler: str | None) -> None:
    """Group the copies in INPUTS and pick the canonical copy of each group.

    INPUTS are directories (searched for .txt, .html, .htm, .jsonl, .ndjson and .parquet files),
    files of those kinds, or - for stdin (JSON Lines, or one text article: see --stdin-format).

    \b
    Examples:
      newsdedup cluster seeds/
      newsdedup cluster feed.jsonl other-dir/ --format jsonl -o clusters.jsonl
      cat feed.jsonl | newsdedup cluster - --format csv --quiet
      newsdedup cluster seeds/ --format json | jq '.clusters[] | select(.size > 1) | .canonical'
      newsdedup cluster seeds/ --threshold 0.7
      newsdedup cluster seeds/ --format html -o report.html
      newsdedup cluster corpus/ --scheduler tcp://10.0.0.5:8786 --format jsonl -o clusters.jsonl

    --format html writes one page to open in a browser: the clusters, a search, each copy's
    changes against its canonical.
    """
    html = output_format == "html"  # the page shows each copy's text against its canonical: keep the bodies
    result, seconds = _run(inputs, settings, quiet, workers, keep_bodies=html, scheduler=scheduler)
    target = ReportTarget(output, output_format)
    with _StderrProgress(quiet) as progress:
        progress("report", 0, 1)
        if html:
            from .html_report import write_html

            target.write(lambda stream: write_html(result, stream, workers=workers or os.cpu_count() or 1))
        else:
            _write_report(result, target, show_all=show_all)
        progress("report", 1, 1)
    _tell(quiet, target.table_on_stdout, _cluster_summary(result), result.skipped, _encoding_warnings(result),
          seconds)
    if result.article_count == 0:
        raise click.ClickException("no article could be read from the inputs (see the skipped list)")


@main.command("eval", short_help="Score the clustering of INPUTS against ground-truth labels.")
@common_options
@click.option("--labels", "labels_path", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="Ground truth: TSV/CSV with article_id,cluster_id, or JSON Lines with those keys.")
@click.option("--min-f1", type=click.FloatRange(0, 1), default=None,
              help="Exit 1 when pairwise F1 is below this, or undefined.")
@click.option("--min-ari", type=click.FloatRange(-1, 1), default=None,
              help="Exit 1 when the ARI is below this, or undefined.")
@click.option("--worst", type=click.IntRange(0, 1000), default=10, show_default=True,
              help="How many false merges and missed pairs to list.")
def eval_command(inputs: tuple[str, ...], settings: ResolvedConfig, output_format: str, output: str | None,
                 quiet: bool, workers: int, labels_path: str, min_f1: float | None, min_ari: float | None,
                 worst: int) -> None:
    """Cluster INPUTS and score the result against ground-truth labels.

    Only ids both in the input and in the labels are scored. A figure with nothing to measure
    (no pairs) is undefined and fails its floor; nothing scored at all exits 1.

    \b
    Examples:
      newsdedup eval seeds/ --labels seeds/labels.tsv
      newsdedup eval corpus/ --labels truth.csv --format json --min-f1 0.95 --min-ari 0.95
    """
    try:
        truth = read_labels(labels_path)
    except LabelsError as error:
        raise UsageFailure(str(error)) from None
    result, seconds = _run(inputs, settings, quiet, workers, keep_bodies=True)
    evaluation = evaluate(result, truth, settings.config, worst=worst)
    target = ReportTarget(output, output_format)
    target.write_text(render_evaluation(evaluation, result, output_format, width=target.width))
    # The eval table lists neither the cluster counts nor the skipped inputs: stderr says them.
    _tell(quiet, False, _cluster_summary(result), result.skipped, _encoding_warnings(result), seconds)
    if not quiet and not target.table_on_stdout and (evaluation.unlabelled or evaluation.missing):
        _say(f"warning: {len(evaluation.unlabelled)} input ids have no label, {len(evaluation.missing)} "
             "labelled ids are not in the input; only ids in both were scored")
    if evaluation.scores.articles == 0:
        raise click.ClickException(evaluation.notes[0])
    failures = _floor_failures(evaluation.scores, {"pairwise F1": ("--min-f1", min_f1), "ARI": ("--min-ari", min_ari)})
    if failures:
        raise click.ClickException("; ".join(failures))


def _floor_failures(scores: Scores, floors: dict[str, tuple[str, float | None]]) -> list[str]:
    """Each figure below its floor; an undefined figure never passes one (nothing measured is no pass)."""
    values = {"pairwise F1": scores.pairwise_f1, "ARI": scores.adjusted_rand_index}
    undefined = undefined_figures(scores)
    failures = []
    for name, (flag, floor) in floors.items():
        if floor is None:
            continue
        value = values[name]
        if value is None:
            failures.append(f"{name} is undefined ({undefined[name]}), so {flag} {floor} cannot pass")
        elif value < floor:
            failures.append(f"{name} {value:.4f} is below {flag} {floor}")
    return failures


@main.command(short_help="Show why two articles are or are not copies and their texts side by side.")
@click.argument("first_id", metavar="A")
@click.argument("second_id", metavar="B")
@common_options
def explain(first_id: str, second_id: str, inputs: tuple[str, ...], settings: ResolvedConfig, output_format: str,
            output: str | None, quiet: bool, workers: int) -> None:
    """Explain why articles A and B (two ids) of INPUTS are, or are not, copies.

    Runs INPUTS as `cluster` does, then gives the verdict and every test's figure for the
    pair: shared shingles, containment, the numbers and names of the shorter text in the text
    both share (kept, changed, or only in its own passages), days apart, and which candidate
    stage found the pair or why neither did. Then the two texts side by side: kept, cut (-),
    added (+) and changed (~) passages; the left one is the canonical of their cluster when
    they share one. --format json gives the same for scripts (table and json only).

    \b
    Examples:
      newsdedup explain 000_a0337443bc97db64 001_88b9becdf1984dad seeds/
      newsdedup explain a1 b7 feed.jsonl --format json | jq .verdict
    """
    from .explain import explain as explain_pair  # the index's candidate entries: numpy, which a run does not need

    if output_format not in ("table", "json"):
        raise UsageFailure(f"--format {output_format}: explain writes table or json")
    started = time.perf_counter()
    try:
        with _StderrProgress(quiet) as progress:
            explanation = explain_pair(first_id, second_id, list(inputs), settings.config, on_progress=progress,
                                       stdin=sys.stdin.buffer, workers=workers or os.cpu_count() or 1)
    except (ConfigError, UnknownArticleError) as error:
        raise UsageFailure(str(error)) from None
    except NewsdedupError as error:
        raise click.ClickException(str(error)) from None
    target = ReportTarget(output, output_format)
    target.write_text(render_explanation(explanation, output_format, width=target.width, color=target.color))
    if not quiet:
        _say(f"done in {time.perf_counter() - started:.1f} s")


@main.command(short_help="Compare the clustering of INPUTS with a golden report.")
@common_options
@click.option("--expect", "golden", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="A report saved earlier by `newsdedup cluster --format json`.")
@click.option("--update", is_flag=True, help="Rewrite the golden report from this run instead of comparing.")
def check(inputs: tuple[str, ...], settings: ResolvedConfig, output_format: str, output: str | None, quiet: bool,
          workers: int, golden: str, update: bool) -> None:
    """Cluster INPUTS and compare membership and canonical choices with a golden report.

    Exits 1 when an article moved, a canonical choice changed or the skipped inputs differ.

    \b
    Examples:
      newsdedup check seeds/ --expect tests/golden/seeds.json
      newsdedup check seeds/ --expect tests/golden/seeds.json --format json
      newsdedup check seeds/ --expect tests/golden/seeds.json --update
    """
    expected = None
    if not update:
        try:
            expected = read_report(golden)
        except LabelsError as error:
            raise UsageFailure(str(error)) from None
    result, seconds = _run(inputs, settings, quiet, workers)
    report = render_json(result)
    _tell(quiet, False, _cluster_summary(result), result.skipped, _encoding_warnings(result), seconds)
    if update:
        ReportTarget(golden, "json").write_text(report)
        if not quiet:
            _say(f"updated {golden}")
        return
    assert expected is not None  # read above, unless --update
    changes = compare_reports(expected, json.loads(report))
    target = ReportTarget(output, output_format)
    target.write_text(render_drift(changes, golden, output_format, width=target.width))
    if changes:
        raise click.ClickException(f"{len(changes)} change(s) against {golden}")


index_target = click.option(
    "--index", "target", required=True, envvar="NEWSDEDUP_INDEX", show_envvar=True, metavar="TARGET",
    help="An SQLite file (created on first add) or redis://host:port/db.")


def _notes(notes: Iterable[str], quiet: bool) -> None:
    """What the library says about an answer (e.g. articles an index left out), on stderr."""
    if not quiet:
        for note in notes:
            _say(f"note: {visible(note)}")


def _index_call(operation: Callable[[], Returned]) -> Returned:
    """Run an index operation: settings or target mistakes exit 2, index failures exit 1."""
    try:
        return operation()
    except ConfigError as error:
        raise UsageFailure(str(error)) from None
    except NewsdedupError as error:
        raise click.ClickException(str(error)) from None


@main.group(short_help="Dedup incrementally against a persistent index.")
def index() -> None:
    """Incremental dedup against a persistent index: an SQLite file, or Redis for many workers.

    \b
    Examples:
      newsdedup index add seeds/ --index news.db
      newsdedup index query today/ --index news.db --format csv
      newsdedup index stats --index news.db
      newsdedup index prune --before 2024-10-17 --index news.db
      newsdedup index export --index news.db --format json
    """


def _add_or_query(inputs: tuple[str, ...], settings: ResolvedConfig, output_format: str, output: str | None,
                  quiet: bool, workers: int, target: str, batch_size: int, dry_run: bool) -> None:
    from .index import add_articles

    started = time.perf_counter()
    with _StderrProgress(quiet) as progress:
        report = _index_call(lambda: add_articles(
            list(inputs), target, settings.config, on_progress=progress, stdin=sys.stdin.buffer,
            workers=workers or os.cpu_count() or 1, batch_size=batch_size, dry_run=dry_run))
    report_target = ReportTarget(output, output_format)
    report_target.write_text(render_index_report(report, output_format, width=report_target.width))
    _notes(report.notes, quiet)
    counts = index_counts(report)
    _tell(quiet, report_target.table_on_stdout,
          f"{counts['articles']} articles: {counts['new']} new, {counts['copies']} copies, "
          f"{counts['already_indexed']} already indexed, {counts['skipped']} skipped", report.skipped,
          seconds=time.perf_counter() - started)
    if not report.verdicts:
        raise click.ClickException("no article could be read from the inputs (see the skipped list)")


@index.command("add", short_help="Add INPUTS to the index; say which are copies.")
@common_options
@index_target
@click.option("--batch-size", type=click.IntRange(1, 1_000_000), default=1000, show_default=True,
              help="Articles per transaction: a crash loses at most the batch in progress.")
def index_add(inputs: tuple[str, ...], settings: ResolvedConfig, output_format: str, output: str | None, quiet: bool,
              workers: int, target: str, batch_size: int) -> None:
    """Add INPUTS to the index and say which are copies of indexed articles.

    \b
    Examples:
      newsdedup index add seeds/ --index news.db
      newsdedup index add feed.jsonl --index redis://localhost:6379/0 --format jsonl
      export NEWSDEDUP_INDEX=news.db; cat new.jsonl | newsdedup index add - -q
    """
    _add_or_query(inputs, settings, output_format, output, quiet, workers, target, batch_size, dry_run=False)


@index.command("query", short_help="Say which INPUTS are copies without adding them.")
@common_options
@index_target
@click.option("--batch-size", type=click.IntRange(1, 1_000_000), default=1000, show_default=True,
              help="Articles looked up at a time.")
def index_query(inputs: tuple[str, ...], settings: ResolvedConfig, output_format: str, output: str | None,
                quiet: bool, workers: int, target: str, batch_size: int) -> None:
    """Say which INPUTS are copies of indexed articles, without adding them.

    \b
    Examples:
      newsdedup index query today/ --index news.db
      newsdedup index query today/ --index news.db --format csv -o verdicts.csv
    """
    _add_or_query(inputs, settings, output_format, output, quiet, workers, target, batch_size, dry_run=True)


@index.command("stats", short_help="Sizes and dates of the index and its settings.")
@index_target
@output_options
def index_stats_command(target: str, output_format: str, output: str | None, quiet: bool) -> None:
    """Articles, clusters, size and date range of the index, and the settings it was built with.

    \b
    Examples:
      newsdedup index stats --index news.db
      newsdedup index stats --index news.db --format json | jq .settings
    """
    from .index import index_stats

    summary = _index_call(lambda: index_stats(target))
    notes = summary.pop("notes", ())
    report = ReportTarget(output, output_format)
    report.write_text(render_index_stats(summary, output_format, width=report.width))
    _notes(notes, quiet)
    _tell(quiet, report.table_on_stdout,
          f"{summary['index']}: {summary['articles']} articles in {summary['clusters']} clusters")


@index.command("prune", short_help="Forget articles before a day; rebuild their clusters.")
@index_target
@output_options
@click.option("--before", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Forget articles published (undated: added) before this day, YYYY-MM-DD.")
def index_prune(target: str, output_format: str, output: str | None, quiet: bool, before: datetime) -> None:
    """Forget old articles (e.g. keep a 7-day window) and rebuild the clusters they were in.

    \b
    Examples:
      newsdedup index prune --before 2024-10-17 --index news.db
      newsdedup index prune --before "$(date -d '7 days ago' +%F)" --index news.db -q
    """
    from .index import index_stats, prune_index

    day = before.strftime("%Y-%m-%d")
    removed = _index_call(lambda: prune_index(target, day))
    summary = _index_call(lambda: index_stats(target))
    notes = summary.pop("notes", ())
    report = ReportTarget(output, output_format)
    report.write_text(render_index_stats({"pruned": removed, "before": day, **summary}, output_format,
                                         width=report.width))
    _notes(notes, quiet)
    _tell(quiet, report.table_on_stdout,
          f"pruned {removed} articles published before {day}; {summary['articles']} remain")


@index.command("export", short_help="The index's clusters as `cluster` writes them.")
@index_target
@output_options
@show_all_option
def index_export(target: str, output_format: str, output: str | None, quiet: bool, show_all: bool) -> None:
    """The index's clusters, in the same formats and schema as `newsdedup cluster`.

    \b
    Examples:
      newsdedup index export --index news.db
      newsdedup index export --index news.db --format json -o clusters.json
    """
    from .index import export_index

    result = _index_call(lambda: export_index(target))
    report = ReportTarget(output, output_format)
    _write_report(result, report, show_all=show_all)
    _notes(result.notes, quiet)
    _tell(quiet, report.table_on_stdout, _cluster_summary(result), result.skipped)


@main.group("config", short_help="Show the settings in effect and where they come from.")
def config_group() -> None:
    """The settings in effect and the files they come from.

    Layers, lowest first: built-in defaults < the user file < ./config.yaml (or --config) <
    NEWSDEDUP_SECTION__KEY environment variables < --set and --threshold. A ./config.yaml
    without a `newsdedup: 1` line and without any of newsdedup's sections belongs to another
    program and is passed by, with a note on stderr.

    \b
    Examples:
      newsdedup config show
      newsdedup config show --format json | jq .settings.verify
      newsdedup config show --no-config > ~/.config/newsdedup/config.yaml
      newsdedup config path
    """


@config_group.command("show", short_help="Print every setting in effect and its origin.")
@settings_options
@click.option("--format", "output_format", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True,
              help="yaml: a settings file with each origin in a comment; json: value and origin per key.")
def config_show(settings: ResolvedConfig, output_format: str) -> None:
    """Print every setting in effect and where it came from: default, a file, an environment
    variable or the command line. The yaml output is itself a valid settings file.

    \b
    Examples:
      newsdedup config show
      newsdedup config show --set verify.min_containment=0.7 --format json
      NEWSDEDUP_VERIFY__MAX_DAYS_APART=7 newsdedup config show
    """
    text = _settings_yaml(settings) if output_format == "yaml" else json.dumps({
        "files": [vars(file) for file in settings.files],
        "notes": list(settings.notes),
        "settings": {section: {key: {"value": value, "origin": settings.origins[f"{section}.{key}"]}
                               for key, value in values.items()}
                     for section, values in settings.config.to_dict().items()},
    }, ensure_ascii=False, indent=2) + "\n"
    ReportTarget(None).write_text(text)


def _settings_yaml(settings: ResolvedConfig) -> str:
    import yaml

    lines = ["# The newsdedup settings in effect, each with where it came from.",
             f"{MARKER}: {FILE_VERSION}"]
    for section, values in settings.config.to_dict().items():
        lines.append(f"{section}:")
        for key, value in values.items():
            dumped = yaml.safe_dump({key: value}, allow_unicode=True, default_flow_style=False, sort_keys=False,
                                    width=10_000).rstrip("\n").split("\n")
            dumped[0] += f"  # {settings.origins[f'{section}.{key}']}"
            lines.extend(f"  {line}" for line in dumped)
    return "\n".join(lines) + "\n"


@config_group.command("path", short_help="Print where settings files are looked for.")
@settings_options
def config_path_command(settings: ResolvedConfig) -> None:
    """Print the settings files looked for, in the order they are read, and what became of each:
    read, not found, passed by (another program's config.yaml) or skipped (--no-config).

    \b
    Examples:
      newsdedup config path
      newsdedup config path --config ci.yaml
    """
    names = {"user": "user file", "project": "./config.yaml", "given": "--config"}
    ReportTarget(None).write_text("".join(f"{names[file.role]:<14} {file.path}  ({file.status})\n"
                                          for file in settings.files))


@main.command("schema", short_help="Print the JSON Schema of a report.")
@click.argument("name", required=False, metavar="[NAME]", type=click.Choice(schema_names()))
@click.option("--list", "list_names", is_flag=True, help="List the schemas' names and what each describes.")
def schema_command(name: str | None, list_names: bool) -> None:
    """Print the JSON Schema of a report (NAME), or of every report as one object keyed by name.

    \b
    Examples:
      newsdedup schema --list
      newsdedup schema cluster > cluster.schema.json
      newsdedup cluster seeds/ --format json | check-jsonschema --schemafile <(newsdedup schema cluster) -
    """
    if list_names:
        width = max(map(len, schema_names()))
        text = "".join(f"{known:<{width}}  {load_schema(known)['title']}\n" for known in schema_names())
    else:
        shown = load_schema(name) if name else {known: load_schema(known) for known in schema_names()}
        text = json.dumps(shown, ensure_ascii=False, indent=2) + "\n"
    ReportTarget(None, "json").write_text(text)
