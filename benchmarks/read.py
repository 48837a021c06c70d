"""The read stage with the core's readers, against a baseline install, in one run.

Three things, each against the baseline (another install of newsdedup, by default
/work/main/.venv: the Python readers):

1. Same answers: byte-identical `cluster --format json/jsonl/csv` reports on hostile
   inputs written here (a JSON Lines file with every kind of bad line the loader names,
   BOMs, blank and CRLF lines, oversized lines, lone surrogates, integer ids, escapes,
   repeated ids and keys, deep nesting; the same on standard input; a folder of text
   files in many encodings) and on the corpora given.
2. The read stage alone on CORPUS: every article read into memory (Articles in the
   baseline, batches held by the core here), median of --repeat runs, wall and CPU.
3. End to end: `newsdedup cluster CORPUS --format json`, median wall time of --repeat runs.

    python benchmarks/read.py /work/scratch/modern-100000.jsonl \\
        --same /work/shared/corpora/reuters21578/reuters21578.jsonl seeds/
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Run in a fresh interpreter of either install: the read alone, every article in memory.
READ_ONLY = """
import sys, time
from newsdedup.config import Config
from newsdedup import load
settings = Config().input
started, cpu = time.perf_counter(), time.process_time()
if hasattr(load, "read_batches"):
    batches = load.read_batches([sys.argv[1]], settings, threads=int(sys.argv[2]))
    count = sum(len(item) for item in batches if not hasattr(item, "reason"))
else:
    count = sum(1 for item in load.read_articles([sys.argv[1]], settings) if not hasattr(item, "reason"))
print(count, time.perf_counter() - started, time.process_time() - cpu)
"""
TEXT = ("The minister said on Tuesday that the new budget would raise spending on schools and hospitals "
        "by four percent next year, and cut the deficit by half within three years. ")


def hostile_lines(reuters: list[str]) -> bytes:
    """A JSON Lines file with every kind of line the loader must read or name (and real texts to cluster)."""
    story = reuters[0] if reuters else TEXT * 8
    lines = [json.dumps({"id": f"r{number}", "text": text, "title": f"Story {number}"}) for number, text
             in enumerate(reuters[:200])]
    lines += [
        json.dumps({"id": "copy", "text": story, "source": "wire", "url": "https://example.com/a",
                    "published": "2024-05-10", "language": "en", "extra": {"deep": [1, 2.5, None, {"x": "y"}]}}),
        json.dumps({"id": 12345, "text": story + " Updated."}), json.dumps({"id": -7, "text": TEXT}),
        json.dumps({"id": 2**64 + 1, "text": TEXT + "big"}), '{"id": -0, "text": "negative zero id"}',
        '{"id": 1.0, "text": "float id"}', json.dumps({"id": "esc", "text": story}, ensure_ascii=True),
        json.dumps({"id": "ütf", "text": "Grüße aus Köln. " + story}, ensure_ascii=False),
        '{"id": "pair\\ud83d\\ude00", "text": "smile \\ud83d\\ude00 ' + TEXT + '"}',
        '{"id": "lone", "text": "broken \\ud83d emoji and \\udfff ' + TEXT + '"}',
        '{"id": "lone-title", "text": "t", "title": "t\\udfff"}', '{"id": "a\\udfff", "text": "t"}',
        '{"id": "other-lone", "text": "' + TEXT + '", "note": "\\ud800"}',
        '{"id": "twice", "text": "' + TEXT + '", "id": "twice-again"}',
        '{"id": "nan", "text": "' + TEXT + ' nan", "score": NaN}', '{"id": "inf", "text": "x", "n": 1e400}',
        '{"id": "a", "text": ' + "[" * 5000 + "}", '{"id": "a", "text": "t", "n": ' + "9" * 5000 + "}",
        '{"id": "deep-ok", "text": "' + TEXT + '", "n": ' + "[" * 300 + "]" * 300 + "}",
        '{"id": ["a"], "text": "t"}', '{"id": true, "text": "t"}', '{"id": " ", "text": "t"}', '{"text": "t"}',
        '{"id": null, "text": "t"}', '{"id": "a", "text": 5}', '{"id": "a"}', '{"id": "empty", "text": "\\u2003 "}',
        '{"id": "b", "text": "t", "title": 5}', "[1, 2]", "not json at all", '{"id": "x", "text": "t"} trailing',
        json.dumps({"id": "copy", "text": "repeated id"}), json.dumps({"id": "r3", "text": "repeated id"}),
        "", "   ", "\x0c", '{"id": "oversized", "text": "' + "x" * 5000 + '"}',
    ]
    data = b"\xef\xbb\xbf" + "\n".join(lines[:100]).encode("utf-8", "surrogatepass") + b"\r\n"
    data += "\r\n".join(lines[100:]).encode("utf-8", "surrogatepass") + b"\n"
    data += b'\xef\xbb\xbf{"id": "bom-line", "text": "' + TEXT.encode() + b'"}\n'
    data += b'{"id": "latin", "text": "caf\xe9"}\n\n\n'
    data += b'{"id": "last", "text": "' + TEXT.encode() + b' no newline"}'
    return data


def hostile_folder(folder: Path, reuters: list[str]) -> None:
    """Text files in many encodings and states, as a crawl leaves them."""
    story = reuters[1] if len(reuters) > 1 else TEXT * 8
    files = {
        "plain.txt": story.encode(), "copy.txt": story.encode(), "crlf.txt": story.replace("\n", "\r\n").encode(),
        "bom.txt": b"\xef\xbb\xbf" + story.encode(),
        "latin1.txt": ("Bürgermeisterin äußerte " + story).encode("latin-1"),
        "utf16.txt": story.encode("utf-16"), "nul.txt": story.encode() + b"\x00", "binary.txt": bytes(range(256)) * 8,
        "empty.txt": b"", "spaces.txt": "\u3000 \n \t".encode(), "big.txt": story.encode() * 400,
        "page.html": b"<html><head><title>T</title></head><body><p>" + story.encode() + b"</p></body></html>",
        "sub/nested.txt": ("Grüße " + story).encode(), "stray.txt": story.encode() + b" caf\xe9 " + story.encode(),
    }
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


def cluster(newsdedup: str, inputs: list[str], output_format: str, stdin: bytes | None = None,
            options: tuple[str, ...] = ()) -> bytes:
    done = subprocess.run([newsdedup, "cluster", *inputs, "--format", output_format, "--quiet", *options],
                          input=stdin, capture_output=True, check=False)
    return done.stdout + f"\nexit {done.returncode}\n".encode()


def same_reports(baseline: str, newsdedup: str, corpora: list[str], reuters: list[str]) -> bool:
    """Compare the reports of both installs; print one line per input and format."""
    agreed = True
    with tempfile.TemporaryDirectory() as scratch:
        hostile = Path(scratch) / "hostile.jsonl"
        hostile.write_bytes(hostile_lines(reuters))
        folder = Path(scratch) / "folder"
        hostile_folder(folder, reuters)
        limit = ("--set", "input.max_bytes=4000")
        cases: list[tuple[str, list[str], bytes | None, tuple[str, ...]]] = [
            ("hostile.jsonl", [str(hostile)], None, limit),
            ("hostile.jsonl on stdin", ["-"], hostile.read_bytes(), limit),
            ("text folder", [str(folder)], None, ("--set", "input.max_bytes=40000")),
        ] + [(Path(corpus).name, [corpus], None, ()) for corpus in corpora]
        for name, inputs, stdin, options in cases:
            for output_format in ("json", "jsonl", "csv"):
                base = cluster(baseline, inputs, output_format, stdin, options)
                mine = cluster(newsdedup, inputs, output_format, stdin, options)
                articles = len(json.loads(mine.rsplit(b"\nexit", 1)[0])["skipped"]) if output_format == "json" else None
                print(f"{name} --format {output_format}: {'same bytes' if base == mine else 'DIFFERENT'}"
                      + (f" ({articles} skipped)" if articles is not None else ""))
                agreed &= base == mine
    return agreed


def timed(command: list[str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, digest of stdout) of one run."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed with exit code {process.returncode}")
        output.seek(0)
        return wall, usage.ru_maxrss / 1024, hashlib.sha256(output.read()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", help="a JSON Lines corpus to time (e.g. modern-100000.jsonl)")
    parser.add_argument("--baseline", default="/work/main/.venv", help="the venv of the install to compare with")
    parser.add_argument("--same", nargs="*", default=[], metavar="INPUT", help="more inputs whose reports must agree")
    parser.add_argument("--reuters", default="/work/shared/corpora/reuters21578/reuters21578.jsonl",
                        help="real texts for the hostile inputs")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    here = Path(sys.prefix) / "bin"
    there = Path(args.baseline) / "bin"
    reuters = []
    if os.path.exists(args.reuters):
        with open(args.reuters, encoding="utf-8") as stream:
            reuters = [json.loads(line)["text"] for _, line in zip(range(300), stream)]
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}; baseline {args.baseline}")
    same = same_reports(str(there / "newsdedup"), str(here / "newsdedup"), args.same, reuters)

    print(f"\nread stage alone, {Path(args.corpus).name}, median of {args.repeat}:")
    for label, python, threads in (("baseline", there / "python", 1),
                                   ("core readers, parsing on the reading thread (as cluster does)", here / "python", 1),
                                   ("core readers, parsing on every core", here / "python", 0)):
        runs = [subprocess.run([str(python), "-c", READ_ONLY, args.corpus, str(threads)], capture_output=True,
                               check=True, text=True).stdout.split() for _ in range(args.repeat)]
        count = int(runs[0][0])
        wall = statistics.median(float(run[1]) for run in runs)
        cpu = statistics.median(float(run[2]) for run in runs)
        print(f"  {label}: {count:,} articles, {wall:.2f} s wall ({1e6 * wall / count:.1f} µs/article), "
              f"{cpu:.2f} s CPU")

    print(f"\nend to end, newsdedup cluster {Path(args.corpus).name} --format json, median of {args.repeat}:")
    outputs = {}
    for label, binary in (("baseline", there / "newsdedup"), ("core readers", here / "newsdedup")):
        timings = [timed([str(binary), "cluster", args.corpus, "--format", "json", "--quiet"])
                   for _ in range(args.repeat)]
        outputs[label] = {digest for _, _, digest in timings}
        print(f"  {label}: {statistics.median(wall for wall, _, _ in timings):.1f} s "
              f"(runs: {', '.join(f'{wall:.1f}' for wall, _, _ in timings)}), "
              f"peak RSS {statistics.median(peak for _, peak, _ in timings):,.0f} MB")
    identical = len(outputs["baseline"] | outputs["core readers"]) == 1
    print(f"  reports: {'byte-identical' if identical else 'DIFFERENT'} across all {2 * args.repeat} runs")
    sys.exit(0 if same and identical else 1)


if __name__ == "__main__":
    main()
