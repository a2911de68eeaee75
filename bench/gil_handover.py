"""How long the window waits for the interpreter while a worker runs Python code: 200 short
calls into Python (as Qt makes them while painting), each after letting the interpreter go,
with a busy worker thread, at Python's default switch interval (5 ms) and at the app's
(`ui.sla.workers.SWITCH_SECONDS`), each in a fresh process.

    .venv/bin/python bench/gil_handover.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import sys, threading, time
sys.setswitchinterval(float(sys.argv[1]))
stop = threading.Event()
def worker():
    total = 0
    while not stop.is_set():
        total += sum(range(1000))
thread = threading.Thread(target=worker)
thread.start()
time.sleep(0.1)
started = time.perf_counter()
for _ in range(200):
    time.sleep(0)      # the interpreter let go, as on returning from Python to Qt
    sum(range(100))    # a short call into Python
print(f"{(time.perf_counter() - started) * 1000:.0f}")
stop.set()
thread.join()
"""


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from ui.sla.workers import SWITCH_SECONDS

    results = {}
    for interval in (0.005, SWITCH_SECONDS):
        out = subprocess.run([sys.executable, "-c", CHILD, str(interval)], check=True,
                             capture_output=True, text=True).stdout
        results[interval] = float(out)
        print(f"switch interval {interval * 1000:g} ms: 200 short calls took {out.strip()} ms")
    print(f"ratio: {results[0.005] / results[SWITCH_SECONDS]:.1f}x faster at the app's interval")


if __name__ == "__main__":
    main()
