"""A big import gives back the memory it left free (glibc's `malloc_trim`), and does
nothing where the C library has no such call."""

from __future__ import annotations

import ctypes
import os
import sys

import pytest

from workbench.imports import freed_memory


def _resident_mb() -> float:
    with open(f"/proc/{os.getpid()}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_pages_left_free_between_blocks_go_back() -> None:
    # Small blocks spread over 64 MB of heap, every other one freed: none of the free
    # stretches is at the heap's top, so glibc keeps their pages until trimmed.
    blocks = [ctypes.create_string_buffer(65_000) for _ in range(1000)]
    for block in blocks:
        ctypes.memset(block, 1, len(block))
    del blocks[::2]
    before = _resident_mb()
    assert freed_memory.give_back() is True
    assert _resident_mb() < before - 20  # some 32 MB of free pages handed back
    assert blocks[0].raw[:3] == b"\x01\x01\x01"  # what is in use stays as it was


def test_without_the_call_nothing_is_done(monkeypatch) -> None:
    def no_library(_name: object) -> object:
        raise OSError("no C library here")

    freed_memory._trim.cache_clear()
    monkeypatch.setattr(freed_memory.ctypes, "CDLL", no_library)
    try:
        assert freed_memory.give_back() is False
    finally:
        freed_memory._trim.cache_clear()
