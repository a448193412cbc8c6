"""Read a dataset from CSV text: lines of `x1,x2,label`, with an optional header line.

Every error is a ValueError with a one-line message naming the line, for the page to show.
"""

from __future__ import annotations

import math

import numpy as np

from playground.data.datasets import (
    MAX_POINTS,
    MAX_VALUE,
    Dataset,
    label_error,
    normalize_labels,
    split,
)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _show(text: str, limit: int = 30) -> str:
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_csv(text: str, problem: str = "classification", max_rows: int = MAX_POINTS
              ) -> tuple[np.ndarray, np.ndarray]:
    """CSV text -> (points (N, 2), labels (N,) as written). Blank lines are skipped; the first
    line is a header if any of its fields is not a number."""
    if problem not in ("classification", "regression"):
        raise ValueError(f"unknown problem {problem!r}; choose classification or regression")
    rows: list[tuple[float, float, float]] = []
    seen_content = False
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip().lstrip("\ufeff")
        if not line:
            continue
        fields = [f.strip() for f in line.split(",")]
        values = [_number(f) for f in fields]
        if not seen_content:
            seen_content = True
            if any(v is None for v in values):
                continue  # a header
        if len(fields) != 3:
            raise ValueError(f"line {number}: expected 3 columns (x1,x2,label), got "
                             f"{len(fields)}")
        for field, value in zip(fields, values, strict=True):
            if value is None:
                raise ValueError(f"line {number}: '{_show(field)}' is not a number")
            if not math.isfinite(value):
                raise ValueError(f"line {number}: '{_show(field)}' is not a finite number")
            if abs(value) > MAX_VALUE:
                raise ValueError(f"line {number}: {value:g} is out of range (at most "
                                 f"{MAX_VALUE:,.0f} in size)")
        error = label_error(values[2], problem)
        if error:
            raise ValueError(f"line {number}: {error}")
        if len(rows) == max_rows:
            raise ValueError(f"line {number}: too many rows (the limit is {max_rows:,})")
        rows.append((values[0], values[1], values[2]))
    if not rows:
        raise ValueError("the file is empty: expected lines of x1,x2,label"
                         if not seen_content else "the file has a header but no data rows")
    if len(rows) < 2:
        raise ValueError("the file has 1 data row: at least 2 are needed (train and test)")
    data = np.array(rows)
    return data[:, :2], data[:, 2]


def dataset_from_csv(text: str, problem: str = "classification", train_ratio: float = 0.5,
                     rng: np.random.Generator | None = None, name: str = "csv") -> Dataset:
    """A train/test split of the CSV's points (shuffled with rng). Labels as in
    datasets.normalize_labels: -1/1 or 0/1 for two classes, 0-9 for more."""
    points, labels = parse_csv(text, problem)
    labels, n_classes = normalize_labels(labels, problem)
    rng = rng if rng is not None else np.random.default_rng()
    return split(points, labels, train_ratio, rng, problem, n_classes, name)
