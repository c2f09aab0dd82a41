"""File benchmark: reading points from CSV and networks from weights files, and refusing.

Targets (issue 11): a 100,000-point CSV loads in under a second; a hostile weights file is
refused at once in bounded memory (the deflate bomb: 1 GiB of zeros in a 1 MB member). Each
row is the median and the worst wall-clock time of several rounds, and the median CPU time
(what the process itself used: steady on a busy machine), in milliseconds.
"""

from __future__ import annotations

import statistics
import tempfile
import time
import tracemalloc
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np

from playground.core.network import Network
from playground.data import load_csv, make_dataset, save_csv, sniff_csv
from playground.files.errors import LoadError
from playground.io.weights import read_weights, save_weights

CSV_POINTS = 100_000
SPECIES = ["setosa", "versicolor", "virginica"]


def _times(run: Callable[[], object], rounds: int) -> tuple[float, float, float]:
    """(median, worst, median CPU) milliseconds of ``run()`` over ``rounds`` calls after one
    warm-up."""
    run()
    times, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        times.append(1000 * (time.perf_counter() - start))
        cpu.append(1000 * (time.process_time() - start_cpu))
    return statistics.median(times), max(times), statistics.median(cpu)


def _bomb(path: Path) -> None:
    """A weights file whose 'meta' declares 300 bytes and inflates to 1 GiB of zeros."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = packer.compress(bytes(1 << 24)) + packer.flush(zlib.Z_FULL_FLUSH)
    packed = block * 64 + packer.flush(zlib.Z_FINISH)
    name = b"meta.npy"
    local = (b"PK\x03\x04" + (20).to_bytes(2, "little") + bytes(2) + (8).to_bytes(2, "little")
             + bytes(8) + len(packed).to_bytes(4, "little") + (300).to_bytes(4, "little")
             + len(name).to_bytes(2, "little") + bytes(2) + name)
    central = (b"PK\x01\x02" + (20).to_bytes(2, "little") * 2 + bytes(2)
               + (8).to_bytes(2, "little") + bytes(8) + len(packed).to_bytes(4, "little")
               + (300).to_bytes(4, "little") + len(name).to_bytes(2, "little") + bytes(12)
               + name)
    end = (b"PK\x05\x06" + bytes(4) + (1).to_bytes(2, "little") * 2
           + len(central).to_bytes(4, "little") + (len(local) + len(packed)).to_bytes(4, "little")
           + bytes(2))
    path.write_bytes(local + packed + central + end)


def _refuse(path: Path) -> None:
    try:
        read_weights(path)
    except LoadError:
        return
    raise AssertionError(f"{path.name} was not refused")


def _peak_mib(run: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / (1 << 20)
    finally:
        tracemalloc.stop()


def main(rounds: int = 5) -> list[tuple[str, float, float, float]]:
    """Print and return (title, median ms, worst ms, median CPU ms) per row."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        X, y = make_dataset("blobs", n=CSV_POINTS, classes=3, seed=0)
        named = save_csv(Path(folder) / "named.csv", X, y, SPECIES)
        numbered = save_csv(Path(folder) / "numbered.csv", X, y)
        net = Network.from_spec({"inputs": 2, "layers": [1000, 1000], "outputs": 3})
        weights = save_weights(Path(folder) / "big.npz", net)
        bomb = Path(folder) / "bomb.npz"
        _bomb(bomb)
        size = named.stat().st_size / (1 << 20)
        cases = [
            (f"load_csv {CSV_POINTS:,} points, text labels ({size:.1f} MB)",
             lambda: load_csv(named)),
            (f"load_csv {CSV_POINTS:,} points, numeric labels", lambda: load_csv(numbered)),
            (f"sniff_csv {CSV_POINTS:,} points", lambda: sniff_csv(named)),
            (f"save_csv {CSV_POINTS:,} points", lambda: save_csv(named, X, y, SPECIES)),
            (f"read_weights 2-1000-1000-3 ({net.count_parameters():,} parameters)",
             lambda: read_weights(weights)),
            ("refuse a 1 GiB deflate bomb (1 MB file)", lambda: _refuse(bomb)),
        ]
        print(f"{'file operation':<58} {'median':>9} {'worst':>9} {'CPU':>9}")
        for title, run in cases:
            median, worst, cpu = _times(run, rounds)
            rows.append((title, median, worst, cpu))
            print(f"{title:<58} {median:>6.0f} ms {worst:>6.0f} ms {cpu:>6.0f} ms")
        print(f"peak memory refusing the bomb: {_peak_mib(lambda: _refuse(bomb)):.1f} MiB; "
              f"loading the CSV: {_peak_mib(lambda: load_csv(named)):.0f} MiB "
              f"(target: load_csv < 1,000 ms)")
        assert np.array_equal(load_csv(named)[0], X)
    return rows


if __name__ == "__main__":
    main()
