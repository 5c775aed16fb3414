"""Worker processes for the stages whose work is pure CPU (clean, enrich): ordered, bounded, forked.

Workers are forked, so they share what the parent loaded before the pool started (the spaCy
model, the language identifier, the gazetteers) instead of loading it again.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>

Batch = TypeVar("Batch")
Result = TypeVar("Result")


def _die_with_parent() -> None:
    """Workers are killed with the run (also by SIGKILL), so none outlives it holding its lock."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: workers still exit when their queue closes


def ordered_map(
    function: Callable[[Batch], Result], batches: Iterable[Batch], processes: int
) -> Iterator[Result]:
    """`function` over each batch, results in input order, on `processes` forked workers.

    With one process it runs in this one. At most two batches per worker are in flight, so a
    corpus streams through without being held in memory. `function` must be a module-level function
    (it is sent to the workers by name).
    """
    if processes <= 1:
        yield from map(function, batches)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(processes, mp_context=context, initializer=_die_with_parent) as pool:
        in_flight: deque[Future[Result]] = deque()
        for batch in batches:
            in_flight.append(pool.submit(function, batch))
            if len(in_flight) >= 2 * processes:
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()
