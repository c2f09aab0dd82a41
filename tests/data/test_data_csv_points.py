"""CSV points: delimiters, headers, labels as classes or targets, every refusal, round trips."""

import os

import numpy as np
import pytest

import playground.data.csv_layout as csv_layout
import playground.data.csv_points as csv_points
from playground.data import CsvPreview, load_csv, make_dataset, save_csv, sniff_csv
from playground.files.errors import LoadError


def _file(tmp_path, text, name="points.csv"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


IRIS = ("sepal_length,sepal_width,petal_length,species\n"
        "5.1,3.5,1.4,setosa\n7.0,3.2,4.7,versicolor\n6.3,3.3,6.0,virginica\n"
        "4.9,3.0,1.4,setosa\n")


# ----------------------------------------------------------------- loading
def test_text_labels_become_classes_in_sorted_order_with_their_names(tmp_path):
    path = _file(tmp_path, "x1,x2,label\n1,2,versicolor\n3,4,setosa\n5,6,versicolor\n")
    X, y, names = load_csv(path)
    assert names == ["setosa", "versicolor"]
    np.testing.assert_array_equal(X, [[1, 2], [3, 4], [5, 6]])
    np.testing.assert_array_equal(y, [1, 0, 1])
    assert X.dtype == np.float64 and y.dtype == np.int64
    assert X.flags.writeable and X.flags.c_contiguous


def test_natural_order_puts_class_2_before_class_10(tmp_path):
    rows = "".join(f"{k},{k},class {k}\n" for k in (10, 2, 1))
    _, y, names = load_csv(_file(tmp_path, "x1,x2,label\n" + rows))
    assert names == ["class 1", "class 2", "class 10"]
    np.testing.assert_array_equal(y, [2, 1, 0])


def test_a_file_without_header_loads(tmp_path):
    X, y, names = load_csv(_file(tmp_path, "0.5,1.5,a\n-2,3e-1,b\n"))
    np.testing.assert_array_equal(X, [[0.5, 1.5], [-2, 0.3]])
    assert names == ["a", "b"] and y.tolist() == [0, 1]


@pytest.mark.parametrize(("text", "delimiter"), [
    ("x1,x2,label\n1,2,a\n3,4,b\n", ","),
    ("x1;x2;label\n1;2;a\n3;4;b\n", ";"),
    ("x1\tx2\tlabel\n1\t2\ta\n3\t4\tb\n", "\t"),
    ("x1;x2;label\n1;2;a\n3;4;b\n", ";"),
])
def test_comma_semicolon_and_tab(tmp_path, text, delimiter):
    path = _file(tmp_path, text)
    assert sniff_csv(path).delimiter == delimiter
    X, _, names = load_csv(path)
    np.testing.assert_array_equal(X, [[1, 2], [3, 4]])
    assert names == ["a", "b"]


def test_semicolon_files_may_use_decimal_commas(tmp_path):
    X, _, _ = load_csv(_file(tmp_path, "x1;x2;label\n1,5;-2,25;a\n3;4;b\n"))
    np.testing.assert_array_equal(X, [[1.5, -2.25], [3, 4]])


def test_whole_number_labels_are_classes_and_other_numbers_regression(tmp_path):
    _, y, names = load_csv(_file(tmp_path, "x1,x2,y\n0,0,1\n1,1,-1\n2,2,1.0\n"))
    assert names == ["-1", "1"] and y.tolist() == [1, 0, 1]
    _, y, names = load_csv(_file(tmp_path, "x1,x2,y\n0,0,0.25\n1,1,-1\n"))
    assert names is None and y.dtype == np.float64 and y.tolist() == [0.25, -1.0]


def test_regression_on_request_and_classes_on_request(tmp_path):
    path = _file(tmp_path, "x1,x2,y\n0,0,1\n1,1,2\n2,2,3\n")
    _, y, names = load_csv(path, regression=True)
    assert names is None and y.tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(LoadError, match=r"line 3, column v: '0.5' is not a whole number"):
        load_csv(_file(tmp_path, "x1,x2,v\n0,0,1\n1,1,0.5\n"), regression=False)
    with pytest.raises(LoadError, match=r"line 3, column v: 'b' is not a number"):
        load_csv(_file(tmp_path, "x1,x2,v\n0,0,1.5\n1,1,b\n"), regression=True)


def test_columns_by_name_or_index_from_a_wider_file(tmp_path):
    path = _file(tmp_path, IRIS)
    X, y, names = load_csv(path, columns=("petal_length", "sepal_width", "species"))
    np.testing.assert_array_equal(X[:, 0], [1.4, 4.7, 6.0, 1.4])
    assert names == ["setosa", "versicolor", "virginica"] and y.tolist() == [0, 1, 2, 0]
    X2, _, _ = load_csv(path, columns=(2, 1, 3))
    np.testing.assert_array_equal(X, X2)
    with pytest.raises(LoadError, match="no column named 'petal'; its columns are sepal_length"):
        load_csv(path, columns=("petal", "sepal_width", "species"))
    with pytest.raises(LoadError, match="has 4 columns; there is no column 8"):
        load_csv(path, columns=(0, 1, 7))
    with pytest.raises(LoadError, match="choose three different columns"):
        load_csv(path, columns=(0, 0, 3))


def test_quoted_fields_crlf_blank_lines_and_empty_trailing_rows(tmp_path):
    text = 'x1,x2,label\r\n1,2,"setosa, wild"\r\n\r\n3,4,"say ""hi"""\r\n,,\r\n  \r\n'
    X, y, names = load_csv(_file(tmp_path, text))
    assert names == ["say \"hi\"", "setosa, wild"] and y.tolist() == [1, 0]
    assert X.shape == (2, 2)


@pytest.mark.parametrize(("data", "label"), [
    ("x1,x2,label\n1,2,café\n3,4,thé\n".encode("utf-8-sig"), "café"),
    ("x1\tx2\tlabel\n1\t2\tcafé\n3\t4\tthé\n".encode("utf-16"), "café"),
    ("x1;x2;label\n1;2;café\n3;4;thé\n".encode("cp1252"), "café"),
    (b"x1,x2,label\r1,2,caf\xc3\xa9\r3,4,th\xc3\xa9\r", "café"),
], ids=["utf8-bom", "utf16-excel", "cp1252", "classic-mac"])
def test_encodings_and_line_endings(tmp_path, data, label):
    _, _, names = load_csv(_file(tmp_path, data))
    assert names == [label, "thé"]


# ----------------------------------------------------------------- sniffing
def test_sniff_describes_the_file_for_the_import_dialog(tmp_path):
    preview = sniff_csv(_file(tmp_path, IRIS, "iris.csv"))
    assert isinstance(preview, CsvPreview)
    assert preview.name == "iris.csv" and preview.delimiter == "," and preview.has_header
    assert preview.columns == ("sepal_length", "sepal_width", "petal_length", "species")
    assert preview.numeric == (True, True, True, False)
    assert preview.rows == 4
    assert preview.preview[0] == ("5.1", "3.5", "1.4", "setosa") and len(preview.preview) == 4
    assert (preview.x1, preview.x2, preview.label) == (0, 1, 3)
    assert not preview.suggest_regression


def test_sniff_without_header_names_columns_and_suggests_regression(tmp_path):
    rows = "".join(f"{i},{-i},{i / 7:.3f}\n" for i in range(30))
    preview = sniff_csv(_file(tmp_path, rows))
    assert not preview.has_header and preview.columns == ("column 1", "column 2", "column 3")
    assert preview.rows == 30 and len(preview.preview) == csv_layout.PREVIEW_ROWS
    assert preview.suggest_regression and (preview.x1, preview.x2, preview.label) == (0, 1, 2)


@pytest.mark.parametrize(("header", "expected"), [
    ("label,x,y", (1, 2, 0)), ("x2,x1,class", (1, 0, 2)), ("a,b,y", (0, 1, 2)),
    ("x,y,target", (0, 1, 2)), ("id,x1,x2,species,notes", (1, 2, 3)),
])
def test_sniff_finds_columns_by_name(tmp_path, header, expected):
    width = header.count(",") + 1
    body = "".join(",".join(["1"] * (width - 1) + ["k"]) + "\n" for _ in range(3))
    if header.startswith("label"):
        body = "a,1,2\nb,3,4\n"
    preview = sniff_csv(_file(tmp_path, f"{header}\n{body}"))
    assert (preview.x1, preview.x2, preview.label) == expected


def test_duplicate_or_empty_header_names_are_made_unique(tmp_path):
    preview = sniff_csv(_file(tmp_path, "x,x,,label\n1,2,3,a\n"))
    assert preview.columns == ("x", "x (2)", "column 3", "label")


# ----------------------------------------------------------------- refusals
def _refused(tmp_path, content, *fragments, **options):
    path = _file(tmp_path, content, "bad.csv")
    with pytest.raises(LoadError) as info:
        load_csv(path, **options)
    message = str(info.value)
    assert message.startswith("bad.csv"), message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    return message


def test_text_in_a_number_column_names_the_line_and_column(tmp_path):
    rows = "".join(f"{i},{i},a\n" for i in range(15)) + "1,abc,b\n"
    message = _refused(tmp_path, "x1,x2,label\n" + rows)
    assert message == "bad.csv: line 17, column x2: 'abc' is not a number"


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-Infinity", "1e999"])
def test_nan_and_infinity_are_refused(tmp_path, value):
    _refused(tmp_path, f"x1,x2,label\n1,2,a\n{value},3,b\n",
             f"line 3, column x1: '{value}' is not a finite number")
    _refused(tmp_path, f"x1,x2,v\n1,2,0.5\n2,3,{value}\n",
             f"line 3, column v: '{value}' is not a finite number")


@pytest.mark.parametrize(("content", "fragments"), [
    ("", ["is empty"]),
    ("\n \n\t\n", ["is empty"]),
    (",,\n,,\n", ["no rows of data"]),
    ("x1,x2,label\n", ["a header but no rows of data"]),
    ("x1,x2,label\n1,2,a\n3,4\n", ["line 3 has 2 fields but the file has 3 columns"]),
    ("x1,x2,label\n1,2,a\n3,4,b,c\n", ["line 3 has 4 fields"]),
    ("x1,x2\n1,2\n3,4\n", ["has 2 columns; it needs at least three"]),
    ("1\n2\n3\n", ["has one column"]),
    ("x1,x2,label\n1,,a\n", ["line 2, column x2: the value is missing"]),
    ("x1,x2,label\n1,2,\n3,4,b\n", ["line 2, column label: the label is missing"]),
    ("x1,x2,label\n1,2,a\n3,4,a\n", ["every row has the label 'a'", "two classes"]),
    ("x1,x2,label\n" + "".join(f"{k},{k},c{k}\n" for k in range(12)),
     ["12 different labels", "c0, c1, c2, c3", "at most 8 classes"]),
    ("x1,x2,label\n" + "".join(f"{k},{k},{k}\n" for k in range(9)),
     ["9 different labels", "at most 8 classes", "load them as regression"]),
    ('x1,x2,label\n1,2,"' + "a" * 200_000 + '"\n', ["line 2", "cannot be read as CSV"]),
    (b"\x89PNG\r\n\x1a\n" + bytes(100), ["binary file"]),
    (b"PK\x03\x04" + bytes(40), ["binary file"]),
    ("x1,x2,label\n1,2,a\x07b\n", ["binary file"]),
    ("x1,x2,label\n1,2,a\n3,4," + "b" * 101 + "\n", ["line 3", "at most 100 characters"]),
], ids=["empty", "blank", "empty-rows", "header-only", "short-row", "long-row", "two-columns",
        "one-column", "missing-value", "missing-label", "one-class", "twelve-classes",
        "nine-numbers", "huge-field", "png", "zip", "control-char", "long-label"])
def test_bad_files_are_refused_with_a_clear_message(tmp_path, content, fragments):
    _refused(tmp_path, content, *fragments)


def test_more_rows_than_the_app_holds_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_points, "MAX_POINTS", 100)
    rows = "".join(f"{k},{k},{k % 2}\n" for k in range(150))
    _refused(tmp_path, rows, "more than 100 rows", "at most 100 points")


def test_a_file_over_the_size_cap_is_refused_before_reading(tmp_path):
    path = tmp_path / "bad.csv"
    with open(path, "wb") as handle:
        handle.truncate(1 << 40)
    with pytest.raises(LoadError, match=r"bad\.csv is 1024\.0 GB; a CSV file may be at most "):
        load_csv(path)
    with pytest.raises(LoadError, match=r"at most 64\.0 MB"):
        sniff_csv(path)


def test_folders_fifos_and_missing_files_are_refused(tmp_path):
    with pytest.raises(LoadError, match=r"nowhere\.csv: no such file"):
        load_csv(tmp_path / "nowhere.csv")
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(LoadError, match=r"folder\.csv is a folder"):
        sniff_csv(tmp_path / "folder.csv")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.csv")
        with pytest.raises(LoadError, match="not a regular file"):
            load_csv(tmp_path / "pipe.csv")


# ----------------------------------------------------------------- saving
def test_save_and_load_round_trip_exactly(tmp_path):
    X, y = make_dataset("blobs", n=500, classes=4, seed=3)
    names = ["red", "green", "blue", "yellow"]
    path = save_csv(tmp_path / "out.csv", X, y, [f"class {k}" for k in range(4)])
    X2, y2, names2 = load_csv(path)
    np.testing.assert_array_equal(X2, X)
    np.testing.assert_array_equal(y2, y)
    assert names2 == [f"class {k}" for k in range(4)]
    save_csv(path, X, y, names)
    _, y3, names3 = load_csv(path)
    assert names3 == sorted(names)
    assert [names3[k] for k in y3] == [names[k] for k in y]
    assert os.listdir(tmp_path) == ["out.csv"]


def test_regression_points_round_trip(tmp_path):
    X, y = make_dataset("plane", n=200, seed=1)
    path = save_csv(tmp_path / "plane.csv", X, y)
    assert path.read_text().splitlines()[0] == "x1,x2,label"
    X2, y2, names = load_csv(path, regression=True)
    np.testing.assert_array_equal(X2, X)
    np.testing.assert_array_equal(y2, y)
    assert names is None


def test_labels_needing_quotes_are_written_quoted(tmp_path):
    path = save_csv(tmp_path / "q.csv", np.zeros((2, 2)), np.array([0, 1]),
                    ['a, "b"', "c;d"])
    assert load_csv(path)[2] == ['a, "b"', "c;d"]


def test_save_refuses_mismatched_arrays(tmp_path):
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        save_csv(tmp_path / "x.csv", np.zeros((3, 3)), np.zeros(3))
    with pytest.raises(ValueError, match=r"outside 0\.\.1"):
        save_csv(tmp_path / "x.csv", np.zeros((2, 2)), np.array([0, 2]), ["a", "b"])
    assert os.listdir(tmp_path) == []
