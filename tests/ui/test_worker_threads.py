"""A worker's Python work must not keep the window waiting: once a worker pool exists, a
worker hands the interpreter back within half a millisecond of the window asking (Python's
5 ms default cost the window 5 ms at every call from Qt into Python while a worker ran;
`bench/gil_handover.py` measures it)."""

from __future__ import annotations

import sys

from ui.sla import workers


def test_a_worker_pool_makes_workers_hand_the_interpreter_back_within_half_a_ms() -> None:
    before = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.005)
        workers._POOLS.pop("interval-test", None)
        workers.pool("interval-test")
        assert sys.getswitchinterval() <= workers.SWITCH_SECONDS <= 0.0005
    finally:
        workers._POOLS.pop("interval-test", None)
        sys.setswitchinterval(before)
