"""The datasets: TensorFlow Playground's six (ported from its dataset.ts), and more.

Points are (x1, x2) in about [-6, 6]^2. Two-class labels are -1/+1 (TF's), more classes are
0..K-1, regression targets are numbers (TF's lie in [-1, 1]). `noise` is TF's slider, 0 to 50;
like TF the generators get noise / 100. As in TF, the points are shuffled once and the first
floor(N * train_ratio) are the training set.

Generators: `make(n, noise, rng) -> (points (n, 2), labels (n,))`, all randomness from `rng`
(so the same seed gives the same data, though not TF's exact points: its RNG is seedrandom).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from playground.engine.choices import Choice, registry

Array = np.ndarray
TWO_PI = 2.0 * np.pi
NUM_SAMPLES_CLASSIFY = 500  # TF's
NUM_SAMPLES_REGRESS = 1200  # TF's
MAX_POINTS = 10_000  # user points and CSV rows
MAX_CLASSES = 10
MAX_VALUE = 1e6  # the largest coordinate or regression target read from the user


@dataclass(frozen=True)
class Dataset:
    """A train/test split. x: raw points (N, 2) (digits: pixels (N, 64)); y: labels (N,).

    n_classes: 2 (labels -1/+1), K >= 3 (labels 0..K-1), or None for regression.
    """

    x_train: Array
    y_train: Array
    x_test: Array
    y_test: Array
    problem: str
    n_classes: int | None
    name: str

    @property
    def is_2d(self) -> bool:
        """True if x are points of the plane (features apply); False for images."""
        return self.x_train.shape[1] == 2

    def __repr__(self) -> str:
        return (f"Dataset({self.name!r}, {self.problem}, n_classes={self.n_classes}, "
                f"train={len(self.x_train)}, test={len(self.x_test)})")


# --- TensorFlow Playground's generators -----------------------------------------------------
def circle(n: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """Half the points inside radius 2.5 (+1), half in the ring 3.5-5 (-1). Noise does not move
    the points: it shifts the position used for the label, so labels near the edge flip."""
    radius = 5.0
    half = n // 2
    r = np.concatenate([rng.uniform(0.0, radius * 0.5, half),
                        rng.uniform(radius * 0.7, radius, n - half)])
    angle = rng.uniform(0.0, TWO_PI, n)
    points = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    shifted = points + rng.uniform(-radius, radius, (n, 2)) * noise
    labels = np.where(np.hypot(shifted[:, 0], shifted[:, 1]) < radius * 0.5, 1.0, -1.0)
    return points, labels


def xor(n: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """Uniform in [-5, 5]^2, pushed 0.3 away from the axes; label sign(x1 * x2) (+1 at 0),
    taken at a position shifted by noise * uniform(-5, 5)."""
    padding = 0.3
    points = rng.uniform(-5.0, 5.0, (n, 2))
    points += np.where(points > 0, padding, -padding)
    shifted = points + rng.uniform(-5.0, 5.0, (n, 2)) * noise
    labels = np.where(shifted[:, 0] * shifted[:, 1] >= 0, 1.0, -1.0)
    return points, labels


def gauss(n: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """Two Gaussian clouds: at (2, 2) labelled +1 and at (-2, -2) labelled -1. The variance
    goes from 0.5 to 4 as noise goes from 0 to 0.5 (TF's d3 scale)."""
    variance = 0.5 + (4.0 - 0.5) * noise / 0.5
    half = n // 2
    std = math.sqrt(variance)
    points = np.concatenate([rng.normal(2.0, std, (half, 2)),
                             rng.normal(-2.0, std, (n - half, 2))])
    labels = np.concatenate([np.ones(half), -np.ones(n - half)])
    return points, labels


def _arms(n: int, n_arms: int, noise: float, rng: np.random.Generator
          ) -> tuple[Array, Array]:
    """n_arms spirals of radius up to 5 turning 1.75 times, arm k rotated by 2 pi k / n_arms;
    each coordinate jittered by noise * uniform(-1, 1). Labels: the arm's index."""
    sizes = [n // n_arms + (1 if k < n % n_arms else 0) for k in range(n_arms)]
    points, labels = [], []
    for k, m in enumerate(sizes):
        i = np.arange(m)
        r = i / m * 5.0
        t = 1.75 * i / m * TWO_PI + k * TWO_PI / n_arms
        xy = np.column_stack([r * np.sin(t), r * np.cos(t)])
        points.append(xy + rng.uniform(-1.0, 1.0, (m, 2)) * noise)
        labels.append(np.full(m, float(k)))
    return np.concatenate(points), np.concatenate(labels)


def spiral(n: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """Two interleaved spiral arms (TF's): the first labelled +1, the other (turned by pi) -1."""
    points, arm = _arms(n, 2, noise, rng)
    return points, np.where(arm == 0, 1.0, -1.0)


def plane(n: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """Regression: uniform in [-6, 6]^2, target (x1 + x2) / 10 taken at a position shifted by
    noise * uniform(-6, 6) (TF's `regressPlane`)."""
    radius = 6.0
    points = rng.uniform(-radius, radius, (n, 2))
    shifted = points + rng.uniform(-radius, radius, (n, 2)) * noise
    return points, (shifted[:, 0] + shifted[:, 1]) / 10.0


MULTIGAUSS_CENTRES = np.array([[-4.0, 2.5, 1.0], [0.0, 2.5, -1.0], [4.0, 2.5, 1.0],
                               [-4.0, -2.5, -1.0], [0.0, -2.5, 1.0], [4.0, -2.5, -1.0]])


def multigauss(n: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """Regression: six bumps at x1 in {-4, 0, 4}, x2 = +-2.5 with alternating signs, each
    sign * max(0, 1 - distance / 2); the target is the bump largest in absolute value
    (TF's `regressGaussian`), at a position shifted by noise * uniform(-6, 6)."""
    radius = 6.0
    points = rng.uniform(-radius, radius, (n, 2))
    shifted = points + rng.uniform(-radius, radius, (n, 2)) * noise
    c = MULTIGAUSS_CENTRES
    d = np.hypot(shifted[:, :1] - c[:, 0], shifted[:, 1:] - c[:, 1])  # (n, 6)
    bumps = c[:, 2] * np.clip(1.0 - d / 2.0, 0.0, 1.0)
    pick = np.abs(bumps).argmax(axis=1)  # the first of equals, as TF's strict `>`
    return points, bumps[np.arange(n), pick]


# --- more -------------------------------------------------------------------------------------
def moons(n: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """Two interleaved half circles (as scikit-learn's make_moons), scaled by 2.5 and centred:
    the upper one +1, the lower one -1; noise adds normal(0, 2.5 * noise) to each coordinate."""
    half = n // 2
    t1 = rng.uniform(0.0, np.pi, half)
    t2 = rng.uniform(0.0, np.pi, n - half)
    upper = np.column_stack([np.cos(t1), np.sin(t1)])
    lower = np.column_stack([1.0 - np.cos(t2), 0.5 - np.sin(t2)])
    points = (np.concatenate([upper, lower]) - [0.5, 0.25]) * 2.5
    points += rng.normal(0.0, 2.5 * noise, (n, 2)) if noise > 0 else 0.0
    labels = np.concatenate([np.ones(half), -np.ones(n - half)])
    return points, labels


def checkerboard(n: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """Uniform in [-5, 5]^2 on a 4 x 4 board of 2.5-wide squares, +1 on squares whose indices
    add up even; the label is read at a position shifted by noise * uniform(-5, 5), as xor."""
    points = rng.uniform(-5.0, 5.0, (n, 2))
    shifted = points + rng.uniform(-5.0, 5.0, (n, 2)) * noise
    squares = np.floor(shifted / 2.5).astype(int).sum(axis=1)
    return points, np.where(squares % 2 == 0, 1.0, -1.0)


def spiral3(n: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """Three spiral arms, classes 0, 1, 2 (softmax)."""
    return _arms(n, 3, noise, rng)


@dataclass(frozen=True)
class DatasetSpec(Choice):
    """A dataset's generator, its problem and size, and its names (engine.choices; `tf_name`:
    TensorFlow Playground's URL value, where it has the dataset)."""

    problem: str
    n_classes: int | None
    n_samples: int
    make: Callable[[int, float, np.random.Generator], tuple[Array, Array]] | None


def _digits(subset: str) -> Callable:
    def make(n: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
        from playground.data.digits import load_digits

        x, y = load_digits(subset)
        if noise > 0:
            x = np.clip(x + rng.normal(0.0, noise, x.shape), 0.0, 1.0)
        return x, y
    return make


DATASETS: dict[str, DatasetSpec] = registry((
    DatasetSpec("circle", "classification", 2, NUM_SAMPLES_CLASSIFY, circle, label="Circle",
                tf_name="circle", doc="a disc of one class inside a ring of the other"),
    DatasetSpec("xor", "classification", 2, NUM_SAMPLES_CLASSIFY, xor, label="Exclusive or",
                tf_name="xor", doc="four squares, opposite corners of one class"),
    DatasetSpec("gauss", "classification", 2, NUM_SAMPLES_CLASSIFY, gauss, label="Gaussian",
                tf_name="gauss", doc="two Gaussian clouds"),
    DatasetSpec("spiral", "classification", 2, NUM_SAMPLES_CLASSIFY, spiral, label="Spiral",
                tf_name="spiral", doc="two interleaved spiral arms"),
    DatasetSpec("moons", "classification", 2, NUM_SAMPLES_CLASSIFY, moons, label="Moons",
                doc="two interleaved half circles"),
    DatasetSpec("checkerboard", "classification", 2, NUM_SAMPLES_CLASSIFY, checkerboard,
                label="Checkerboard", doc="a 4 x 4 board of squares of alternating classes"),
    DatasetSpec("spiral3", "classification", 3, NUM_SAMPLES_CLASSIFY, spiral3,
                label="Spiral, 3 classes", doc="three spiral arms, three classes (softmax)"),
    DatasetSpec("digits", "classification", 10, 1797, _digits("all"),
                label="Digits (8x8 images)", doc="handwritten digits 0-9, 8 x 8 pixels"),
    DatasetSpec("digits01", "classification", 2, 360, _digits("01"), page=False,
                label="Digits 0 and 1 (8x8 images)", doc="the handwritten 0s and 1s alone"),
    DatasetSpec("plane", "regression", None, NUM_SAMPLES_REGRESS, plane, label="Plane",
                tf_name="reg-plane", doc="a tilted plane: (x1 + x2) / 10"),
    DatasetSpec("multigauss", "regression", None, NUM_SAMPLES_REGRESS, multigauss,
                label="Multi-Gaussian", tf_name="reg-gauss",
                doc="six bumps of alternating sign"),
))
CLASSIFICATION_DATASETS = tuple(n for n, s in DATASETS.items() if s.problem == "classification")
REGRESSION_DATASETS = tuple(n for n, s in DATASETS.items() if s.problem == "regression")
BY_TF_NAME = {s.tf_name: n for n, s in DATASETS.items() if s.tf_name}


def get_spec(name: str) -> DatasetSpec:
    try:
        return DATASETS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown dataset {name!r}; choose from {', '.join(DATASETS)}") from None


# What the generators and the split can take; the ranges a Config, the command line and the page
# offer are narrower (playground.experiment's limits).
def check_ratio(train_ratio: float) -> float:
    if not 0 < train_ratio < 1:
        raise ValueError(f"train_ratio must be more than 0 and less than 1, got {train_ratio}")
    return float(train_ratio)


def check_noise(noise: float) -> float:
    if not 0 <= noise < math.inf:
        raise ValueError(f"noise must be a finite number of at least 0, got {noise}")
    return float(noise)


def split(x: Array, y: Array, train_ratio: float, rng: np.random.Generator, problem: str,
          n_classes: int | None, name: str) -> Dataset:
    """Shuffle (x, y) and cut it: the first floor(N * train_ratio) rows train (at least one row
    on each side when N >= 2)."""
    n = len(x)
    order = rng.permutation(n)
    x, y = x[order], y[order]
    cut = math.floor(n * check_ratio(train_ratio) + 1e-9)
    cut = min(max(cut, 1), n - 1) if n >= 2 else n
    return Dataset(x[:cut], y[:cut], x[cut:], y[cut:], problem, n_classes, name)


def make_dataset(name: str, noise: float = 0, train_ratio: float = 0.5,
                 rng: np.random.Generator | None = None, n_samples: int | None = None
                 ) -> Dataset:
    """A fresh train/test split of dataset `name`. noise: 0-50 (TF's slider)."""
    spec = get_spec(name)
    noise = check_noise(noise)
    rng = rng if rng is not None else np.random.default_rng()
    n = spec.n_samples if n_samples is None else int(n_samples)
    if n < 2:
        raise ValueError(f"a dataset needs at least 2 points, got {n}")
    x, y = spec.make(n, noise / 100.0, rng)
    return split(x, y, train_ratio, rng, spec.problem, spec.n_classes, name)


# --- the user's own points ---------------------------------------------------------------------
def label_error(value: float, problem: str) -> str | None:
    """Why `value` cannot be a label for `problem`, or None if it can."""
    if not math.isfinite(value):
        return f"label {value} is not a finite number"
    if abs(value) > MAX_VALUE:
        return f"label {value:g} is out of range (at most {MAX_VALUE:,.0f} in size)"
    if problem == "classification" and not (value == int(value) and -1 <= value < MAX_CLASSES):
        return (f"label {value:g} is not a class (classification labels are -1/1 for two "
                f"classes, or 0-{MAX_CLASSES - 1})")
    return None


def normalize_labels(labels: Array, problem: str) -> tuple[Array, int | None]:
    """Checked labels -> (labels, n_classes): two classes as -1/+1 (0/1 become -1/+1), more as
    0..K-1; regression as given (n_classes None). ValueError if they do not make a problem."""
    labels = np.asarray(labels, dtype=float)
    if problem == "regression":
        return labels, None
    if problem != "classification":
        raise ValueError(f"unknown problem {problem!r}; choose classification or regression")
    classes = set(np.unique(labels).tolist())
    if len(classes) < 2:
        raise ValueError("classification needs at least two different labels")
    if -1 in classes:
        if not classes <= {-1.0, 1.0}:
            raise ValueError("labels mix -1 with classes other than 1: use -1/1 for two "
                             f"classes, or 0-{MAX_CLASSES - 1}")
        return labels, 2
    k = int(max(classes)) + 1
    if k == 2:
        return np.where(labels > 0, 1.0, -1.0), 2
    return labels, k


def from_points(points: Sequence[Sequence[float]], problem: str = "classification",
                train_ratio: float = 0.5, rng: np.random.Generator | None = None,
                name: str = "user") -> Dataset:
    """A dataset from the user's points [(x1, x2, label), ...] (drawn on the plane, or read
    from a CSV file). ValueError naming the first bad point."""
    rows = list(points)
    if len(rows) < 2:
        raise ValueError(f"need at least 2 points, got {len(rows)}")
    if len(rows) > MAX_POINTS:
        raise ValueError(f"too many points: {len(rows)} (the limit is {MAX_POINTS:,})")
    data = np.empty((len(rows), 3))
    for i, row in enumerate(rows):
        try:
            values = [float(v) for v in row]
        except (TypeError, ValueError):
            raise ValueError(f"point {i + 1}: expected numbers (x1, x2, label)") from None
        if len(values) != 3:
            raise ValueError(f"point {i + 1}: expected 3 values (x1, x2, label), got "
                             f"{len(values)}")
        if not all(math.isfinite(v) and abs(v) <= MAX_VALUE for v in values[:2]):
            raise ValueError(f"point {i + 1}: coordinates must be finite numbers of at most "
                             f"{MAX_VALUE:,.0f} in size")
        error = label_error(values[2], problem)
        if error:
            raise ValueError(f"point {i + 1}: {error}")
        data[i] = values
    labels, n_classes = normalize_labels(data[:, 2], problem)
    rng = rng if rng is not None else np.random.default_rng()
    return split(data[:, :2], labels, train_ratio, rng, problem, n_classes, name)
