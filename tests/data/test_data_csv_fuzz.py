"""Property tests: random and mutated text and bytes thrown at the CSV loader and sniffer.

Whatever the file holds, ``load_csv`` and ``sniff_csv`` return a valid result or raise
LoadError, never anything else, and the points a holder keeps are untouched when loading
fails.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.data import load_csv, sniff_csv
from playground.files.errors import LoadError
from playground.files.limits import MAX_CLASSES

FUZZ = settings(max_examples=200, deadline=None, database=None)

VALID = [
    "x1,x2,label\n1.5,2,setosa\n-3,4e-2,versicolor\n0,0,setosa\n",
    "x;y;class\n1,5;2;0\n3;4,25;1\n5;6;1\n",
    "0.1\t0.2\t0.5\n0.3\t0.4\t-1.25\n",
    'a,b,c,d\n1,2,"x, y",3\n4,5,z,6\n',
]
ALPHABET = "0123456789.,;\t\n\r -+eE\"abcxyl_naif#\x00é"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("csvfuzz") / "fuzzed.csv"


class Holder:
    """What a window keeps: the current points, replaced only by a successful load."""

    def __init__(self):
        self.X, self.y, self.names = np.zeros((3, 2)), np.array([0, 1, 0]), ["a", "b"]

    def state(self):
        return self.X.tobytes(), self.y.tobytes(), list(self.names)

    def load(self, path, **options):
        self.X, self.y, self.names = load_csv(path, **options)


def _check(path, **options):
    holder = Holder()
    before = holder.state()
    try:
        holder.load(path, **options)
    except LoadError as exc:
        assert str(exc).startswith(path.name), str(exc)
        assert holder.state() == before
    else:
        X, y, names = holder.X, holder.y, holder.names
        assert X.dtype == np.float64 and X.ndim == 2 and X.shape[1] == 2 and len(X) >= 1
        assert np.isfinite(X).all() and len(y) == len(X)
        if names is None:
            assert y.dtype == np.float64 and np.isfinite(y).all()
        else:
            assert 2 <= len(names) <= MAX_CLASSES and len(set(names)) == len(names)
            assert y.dtype == np.int64 and set(y.tolist()) == set(range(len(names)))
    try:
        preview = sniff_csv(path)
    except LoadError:
        return
    count = len(preview.columns)
    assert len({preview.x1, preview.x2, preview.label}) == 3
    assert all(0 <= j < count for j in (preview.x1, preview.x2, preview.label))
    assert len(preview.numeric) == count and preview.rows >= 0


def _mutate(text: str, changes) -> str:
    for kind, where, piece in changes:
        at = int(where * len(text))
        if kind == "insert":
            text = text[:at] + piece + text[at:]
        elif kind == "replace":
            text = text[:at] + piece + text[at + len(piece):]
        elif kind == "delete":
            text = text[:at] + text[at + 1 + len(piece):]
        else:  # truncate
            text = text[:at]
    return text


_change = st.tuples(st.sampled_from(["insert", "replace", "delete", "truncate"]),
                    st.floats(0, 1), st.text(alphabet=ALPHABET, max_size=4))


@FUZZ
@given(base=st.sampled_from(VALID), changes=st.lists(_change, min_size=1, max_size=4))
def test_mutated_valid_files(scratch, base, changes):
    scratch.write_text(_mutate(base, changes), encoding="utf-8", newline="")
    _check(scratch)


@FUZZ
@given(text=st.text(alphabet=ALPHABET, max_size=300))
def test_random_text(scratch, text):
    scratch.write_text(text, encoding="utf-8", newline="")
    _check(scratch)


@FUZZ
@given(data=st.binary(max_size=600))
def test_random_bytes(scratch, data):
    scratch.write_bytes(data)
    _check(scratch)


@FUZZ
@given(base=st.sampled_from(VALID), changes=st.lists(_change, max_size=2),
       columns=st.one_of(st.none(), st.permutations(range(4)).map(lambda p: tuple(p[:3])),
                         st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3)),
                         st.tuples(st.sampled_from(["x1", "x", "a", "label", "nope"]),
                                   st.sampled_from(["x2", "y", "b"]),
                                   st.sampled_from(["label", "class", "c", "d"]))),
       regression=st.sampled_from([None, True, False]),
       delimiter=st.sampled_from([None, ",", ";", "\t"]), header=st.sampled_from([None, True,
                                                                                   False]))
def test_every_option_combination(scratch, base, changes, columns, regression, delimiter,
                                  header):
    scratch.write_text(_mutate(base, changes), encoding="utf-8", newline="")
    _check(scratch, columns=columns, regression=regression, delimiter=delimiter,
           header=header)


def test_the_valid_files_load(scratch):
    """Control: the unmutated files load, so the properties above test something."""
    for text in VALID:
        scratch.write_text(text, encoding="utf-8", newline="")
        X, _, _ = load_csv(scratch)
        assert len(X) >= 2
