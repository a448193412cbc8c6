"""CSV import: good files, and one clear one-line error per kind of bad file."""

from __future__ import annotations

import numpy as np
import pytest

from playground.data.csv import dataset_from_csv, parse_csv


def test_plain_rows() -> None:
    points, labels = parse_csv("1,2,1\n-1,-2,-1\n0.5, 1e-1 ,1\n")
    np.testing.assert_allclose(points, [[1, 2], [-1, -2], [0.5, 0.1]])
    np.testing.assert_allclose(labels, [1, -1, 1])


def test_header_blank_lines_and_windows_line_ends() -> None:
    points, labels = parse_csv("\ufeffx,y,label\r\n\r\n1,2,0\r\n3,4,1\r\n\r\n")
    assert points.shape == (2, 2)
    np.testing.assert_allclose(labels, [0, 1])


def test_dataset_from_csv() -> None:
    rows = "\n".join(f"{i},{-i},{i % 2}" for i in range(10))
    ds = dataset_from_csv(rows, train_ratio=0.7, rng=np.random.default_rng(0))
    assert len(ds.x_train) == 7
    assert ds.n_classes == 2
    assert set(ds.y_train) <= {-1.0, 1.0}  # 0/1 read as the two classes
    ds = dataset_from_csv("1,1,0\n2,2,1\n3,3,2\n4,4,2", rng=np.random.default_rng(0))
    assert ds.n_classes == 3
    ds = dataset_from_csv("1,1,0.3\n2,2,-7.5", problem="regression")
    assert ds.n_classes is None
    assert ds.problem == "regression"


@pytest.mark.parametrize(("text", "problem", "message"), [
    ("", "classification", "the file is empty"),
    ("\n  \n", "classification", "the file is empty"),
    ("x,y,label\n", "classification", "the file has a header but no data rows"),
    ("1,2,1\n", "classification", "the file has 1 data row: at least 2"),
    ("1,2,1\n1,2\n", "classification", "line 2: expected 3 columns (x1,x2,label), got 2"),
    ("1,2,1\n1,2,1,4\n", "classification", "line 2: expected 3 columns"),
    ("1,2,1\n\n1,abc,1\n", "classification", "line 3: 'abc' is not a number"),
    ("1,2,1\n1,nan,1\n", "classification", "line 2: 'nan' is not a finite number"),
    ("1,2,1\n1,2,inf\n", "regression", "line 2: 'inf' is not a finite number"),
    ("1,2,1\n1,2,0.5\n", "classification", "line 2: label 0.5 is not a class"),
    ("1,2,1\n1,2,12\n", "classification", "line 2: label 12 is not a class"),
    ("1,2,-2\n1,2,1\n", "classification", "line 1: label -2 is not a class"),
    ("1,2,1\n3,4,1\n", "classification", "classification needs at least two different labels"),
    ("1,2,-1\n3,4,2\n", "classification", "labels mix -1"),
])
def test_errors_name_the_line(text: str, problem: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + _escape(message)) as info:
        dataset_from_csv(text, problem)
    assert "\n" not in str(info.value)


def _escape(text: str) -> str:
    import re

    return re.escape(text)


def test_too_many_rows() -> None:
    text = "\n".join(["1,2,1", "2,1,-1"] * 5001)
    with pytest.raises(ValueError, match="line 10001: too many rows"):
        parse_csv(text)
    assert len(parse_csv(text, max_rows=20_000)[0]) == 10_002


def test_long_junk_is_shortened_in_the_message() -> None:
    with pytest.raises(ValueError, match="…") as info:
        parse_csv("1,2,1\n1," + "z" * 500 + ",1\n")
    assert len(str(info.value)) < 100


def test_unknown_problem() -> None:
    with pytest.raises(ValueError, match="unknown problem"):
        parse_csv("1,2,1", problem="ranking")


def test_values_out_of_range() -> None:
    with pytest.raises(ValueError, match="line 2: 1e.07 is out of range"):
        parse_csv("1,2,1\n1e7,2,1\n")
    with pytest.raises(ValueError, match="line 2: 2e.300 is out of range"):
        parse_csv("1,2,1\n1,2,2e300\n", problem="regression")
