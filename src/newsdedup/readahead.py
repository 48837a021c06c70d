"""A stream produced on a thread of its own, a few items ahead of the one consuming it.

Reading (files, standard input, the core's parse with the GIL released) then overlaps
with what the consumer does with the items; the queue between them is bounded, so the
items held stay a few however long the stream is. Order is kept, and an exception raised
while producing is raised to the consumer at its place in the stream.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar, cast

Item = TypeVar("Item")

# How often a producer waiting on a full queue looks whether the consumer has stopped.
_POLL_SECONDS = 0.1


@dataclass(frozen=True)
class _Raised:
    error: BaseException


_END = object()


def read_ahead(items: Iterable[Item], depth: int, name: str = "newsdedup-read") -> Iterator[Item]:
    """``items`` in order, produced by a daemon thread at most ``depth`` items ahead.

    The thread starts at the first ``next``. When the consumer stops early (an error, or
    the generator closed), the producer stops at its next item and closes ``items``.
    """
    ahead: queue.Queue[object] = queue.Queue(maxsize=depth)
    stopped = threading.Event()

    def put(item: object) -> bool:
        while not stopped.is_set():
            try:
                ahead.put(item, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        iterator = iter(items)
        try:
            for item in iterator:
                if not put(item):
                    return
            put(_END)
        except BaseException as error:  # raised again on the consumer's side
            put(_Raised(error))
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=produce, name=name, daemon=True)
    thread.start()
    try:
        while True:
            item = ahead.get()
            if item is _END:
                return
            if isinstance(item, _Raised):
                raise item.error
            yield cast(Item, item)
    finally:
        stopped.set()
