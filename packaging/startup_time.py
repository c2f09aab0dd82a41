"""How long the window takes to appear: from starting the process to the window's first paint.

    python3 packaging/startup_time.py [--runs 7] [--hog] -- COMMAND [ARG...]

    python3 packaging/startup_time.py -- dist/neural-playground/neural-playground
    python3 packaging/startup_time.py --hog -- .venv/bin/python -m playground

Each run starts COMMAND --startup-time, which prints the wall-clock time of the main window's
first paint and quits; the time before that line minus the time this script started the
process is one measurement. The median and the range of the runs are printed. The platform
is offscreen unless DISPLAY is set (e.g. under Xvfb) and QT_QPA_PLATFORM is not. --hog keeps
one CPU busy with a Python loop meanwhile (the machine has two cores). The first run warms the
disk cache and is not counted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time


def one_run(command: list[str], env: dict[str, str]) -> float:
    started = time.time()
    done = subprocess.run([*command, "--startup-time"], env=env, capture_output=True,
                          text=True, timeout=120)
    painted = [line for line in done.stdout.splitlines() if line.startswith("first paint at ")]
    if done.returncode != 0 or not painted:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return float(painted[0].removeprefix("first paint at ")) - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--hog", action="store_true", help="keep one CPU busy meanwhile")
    parser.add_argument("command", nargs="+")
    args = parser.parse_args()
    env = dict(os.environ)
    if "DISPLAY" not in env:
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    hog = (subprocess.Popen([sys.executable, "-c", "while True: pass"]) if args.hog else None)
    try:
        one_run(args.command, env)
        times = [one_run(args.command, env) for _ in range(args.runs)]
    finally:
        if hog is not None:
            hog.kill()
            hog.wait()
    platform = env.get("QT_QPA_PLATFORM") or f"xcb on {env['DISPLAY']}"
    print(f"{' '.join(args.command)}: window painted {statistics.median(times):.2f} s after "
          f"launch (median of {len(times)}, {min(times):.2f}-{max(times):.2f} s; {platform}"
          f"{', beside a CPU hog' if hog else ''})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
