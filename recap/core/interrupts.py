"""Ctrl-C held while libraries load. Some catch it inside their imports and go on: a user's
Ctrl-C then did nothing (the run finished, exit 0) or came out as another error ("Applying the VAD
filter requires the onnxruntime package"). Held, it takes effect as soon as the loading is done."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def held_interrupts() -> Iterator[None]:
    """Run the block with Ctrl-C held, then raise KeyboardInterrupt if one came. Elsewhere than
    the main thread (signals reach only that one), or where SIGINT has a handler of someone else's
    (a Dask worker's), the block just runs."""
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        yield
        return
    pressed: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if pressed:
        raise KeyboardInterrupt
