"""One training setup: `Config` (every setting, TF Playground's defaults), its limits and the
names it takes, what it builds, and the saved-model format."""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from playground.data.datasets import (
    DATASETS,
    MAX_POINTS,
    MAX_VALUE,
    Dataset,
    from_points,
    get_spec,
    label_error,
    make_dataset,
    normalize_labels,
)
from playground.data.features import FEATURES, featurize
from playground.engine.activations import ACTIVATIONS
from playground.engine.choices import Choice, lookup
from playground.engine.initializers import INITIALIZERS
from playground.engine.losses import LOSSES, default_loss, get_loss, output_activation
from playground.engine.network import Network
from playground.engine.optimizers import OPTIMIZERS, make_optimizer
from playground.engine.problems import PROBLEMS
from playground.engine.regularization import REGULARIZERS
from playground.engine.trainer import Trainer

USER_DATASET = "user"  # the points come from Config.points (drawn, or read from a CSV file)
MODEL_FORMAT = "nn-playground-model"
MODEL_VERSION = 1


# The limits, each declared once -----------------------------------------------------------------
@dataclass(frozen=True)
class Limit:
    """A setting's range: `low` to `high` in a Config (what the engine trains, the command line
    and saved models take); `page`, where it differs, what the page's controls and links offer.
    `low_open`: a Config needs more than `low`."""

    low: float
    high: float
    page: tuple[float, float] | None = None
    low_open: bool = False

    @property
    def page_low(self) -> float:
        return self.page[0] if self.page else self.low

    @property
    def page_high(self) -> float:
        return self.page[1] if self.page else self.high


# The page offers TensorFlow Playground's limits, which its lessons were written for: 6 hidden
# layers of 8 neurons, batches of 1 to 30. A Config (the command line, a saved model) may go
# further, as far as a run stays quick in numpy: 8 layers of 16, a batch of up to 1,000 points
# (a whole small dataset, e.g. 1,000 of the digits' 1,797, in one step).
HIDDEN_LAYERS = Limit(0, 8, page=(0, 6))
NEURONS = Limit(1, 16, page=(1, 8))  # per hidden layer
BATCH_SIZE = Limit(1, 1000, page=(1, 30))
# Any rate above 0 trains; the page's control needs a closed range, from below its menu's least
# (TensorFlow Playground's 0.00001) to its largest.
LEARNING_RATE = Limit(0, 10, page=(1e-6, 10), low_open=True)
REG_RATE = Limit(0, 10)
NOISE = Limit(0, 50)  # TensorFlow Playground's slider (the generators take noise / 100)
TRAIN_RATIO = Limit(0.1, 0.9)  # of the points, for training (the page: percTrainData 10-90 %)
EPOCHS = Limit(0, 10_000_000)  # trained in one command-line run
LIMITS: dict[str, Limit] = {
    "hidden_layers": HIDDEN_LAYERS, "neurons": NEURONS, "batch_size": BATCH_SIZE,
    "learning_rate": LEARNING_RATE, "reg_rate": REG_RATE, "noise": NOISE,
    "train_ratio": TRAIN_RATIO, "epochs": EPOCHS,
}
# A saved model's limits, for every reader (the page's file input, the command line): a saved
# model of the largest network is about 30 kB; epochs are drawn as floats.
MAX_MODEL_BYTES = 5 * 1024 * 1024
MAX_EPOCH = 2**53


# The names, each declared once in its registry (engine.choices) -----------------------------------
# Config field -> the registry of the names it takes (`features`: a tuple of them).
CHOICES: dict[str, dict[str, Choice]] = {
    "problem": PROBLEMS, "dataset": DATASETS, "features": FEATURES, "activation": ACTIVATIONS,
    "loss": LOSSES, "init": INITIALIZERS, "optimizer": OPTIMIZERS, "regularization": REGULARIZERS,
}
NAMES = ("dataset", "problem", "activation", "regularization", "optimizer", "loss", "init")


def spelled(field: str, text: str) -> str | None:
    """Our name for `text` as a value of the Config field `field`, in any of its spellings
    (ours, the link's, the command line's); None if it names none."""
    return lookup(CHOICES[field], text)


@dataclass(frozen=True)
class Config:
    """Every setting of a run. Defaults are TensorFlow Playground's (percTrainData 50 is
    train_ratio 0.5). Invalid values raise ValueError naming the field.

    features apply to 2-D datasets; the digits datasets feed their 64 pixels instead.
    activations: optional, one hidden activation per hidden layer (overrides activation).
    loss None: the problem's default (squared error with a tanh output for two classes, as TF;
    softmax cross-entropy for three or more; squared error with a linear output for regression).
    points: the user's (x1, x2, label) rows when dataset is "user".
    """

    dataset: str = "circle"
    problem: str = "classification"
    noise: float = 0
    train_ratio: float = 0.5
    seed: int = 1
    features: tuple[str, ...] = ("x1", "x2")
    hidden: tuple[int, ...] = (4, 2)
    activation: str = "tanh"
    activations: tuple[str, ...] | None = None
    learning_rate: float = 0.03
    regularization: str = "none"
    reg_rate: float = 0.0
    batch_size: int = 10
    optimizer: str = "sgd"
    loss: str | None = None
    init: str = "tfp"
    shuffle: bool = False
    points: tuple[tuple[float, float, float], ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        # normalize lists to tuples so a Config is hashable and compares by value
        set_ = object.__setattr__
        for name in ("features", "hidden", "activations"):
            value = getattr(self, name)
            if isinstance(value, list):
                set_(self, name, tuple(value))
        if isinstance(self.points, list):
            set_(self, "points", tuple(tuple(p) for p in self.points))
        self._validate()

    def _validate(self) -> None:
        def fail(name: str, message: str) -> None:
            raise ValueError(f"{name}: {message}")

        if self.problem not in PROBLEMS:
            fail("problem", f"unknown problem {self.problem!r}; choose classification or "
                            "regression")
        if self.dataset != USER_DATASET:
            if self.dataset not in DATASETS:
                fail("dataset", f"unknown dataset {self.dataset!r}; choose from "
                                f"{', '.join(DATASETS)}, or {USER_DATASET}")
            spec = DATASETS[self.dataset]
            if spec.problem != self.problem:
                fail("dataset", f"{self.dataset} is a {spec.problem} dataset, but problem is "
                                f"{self.problem}")
        else:
            self._validate_points()
        _number(self.noise, "noise", NOISE)
        _number(self.train_ratio, "train_ratio", TRAIN_RATIO)
        if not isinstance(self.seed, int | np.integer) or isinstance(self.seed, bool) or not (
                0 <= self.seed < 2**63):
            fail("seed", f"must be a whole number from 0 to 2^63 - 1, got {self.seed!r}")
        if not self.features:
            fail("features", "choose at least one input feature")
        for name in self.features:
            if name not in FEATURES:
                fail("features", f"unknown feature {name!r}; choose from {', '.join(FEATURES)}")
        if len(set(self.features)) != len(self.features):
            fail("features", "a feature is listed twice")
        layers, neurons = HIDDEN_LAYERS, NEURONS
        if not isinstance(self.hidden, tuple) or not (
                layers.low <= len(self.hidden) <= layers.high):
            fail("hidden", f"{layers.low} to {layers.high} hidden layers, got {self.hidden!r}")
        for n in self.hidden:
            if not isinstance(n, int | np.integer) or isinstance(n, bool) or not (
                    neurons.low <= n <= neurons.high):
                fail("hidden", f"a layer has {neurons.low} to {neurons.high} neurons, got {n!r}")
        if self.activation not in ACTIVATIONS:
            fail("activation", f"unknown activation {self.activation!r}; choose from "
                               f"{', '.join(ACTIVATIONS)}")
        if self.activations is not None:
            if len(self.activations) != len(self.hidden):
                fail("activations", f"one per hidden layer: got {len(self.activations)} for "
                                    f"{len(self.hidden)} layers")
            for name in self.activations:
                if name not in ACTIVATIONS:
                    fail("activations", f"unknown activation {name!r}; choose from "
                                        f"{', '.join(ACTIVATIONS)}")
        _number(self.learning_rate, "learning_rate", LEARNING_RATE)
        if self.regularization not in REGULARIZERS:
            fail("regularization", f"unknown regularization {self.regularization!r}; choose "
                                   f"from {', '.join(REGULARIZERS)}")
        _number(self.reg_rate, "reg_rate", REG_RATE)
        if not isinstance(self.batch_size, int | np.integer) or isinstance(
                self.batch_size, bool) or not BATCH_SIZE.low <= self.batch_size <= BATCH_SIZE.high:
            fail("batch_size", f"must be a whole number from {BATCH_SIZE.low} to "
                               f"{BATCH_SIZE.high:,}, got {self.batch_size!r}")
        if self.optimizer not in OPTIMIZERS:
            fail("optimizer", f"unknown optimizer {self.optimizer!r}; choose from "
                              f"{', '.join(OPTIMIZERS)}")
        if self.loss is not None:
            if self.loss not in LOSSES:
                fail("loss", f"unknown loss {self.loss!r}; choose from {', '.join(LOSSES)}")
            n_classes = self.n_classes
            if self.problem == "regression" and self.loss != "squared":
                fail("loss", f"{self.loss} is for classification; regression uses squared")
            if n_classes is not None and n_classes > 2 and self.loss != "softmax_ce":
                fail("loss", f"{self.loss} needs two classes; {self.dataset} has {n_classes}: "
                             "use softmax_ce")
        if self.init not in INITIALIZERS:
            fail("init", f"unknown initializer {self.init!r}; choose from "
                         f"{', '.join(INITIALIZERS)}")
        if not isinstance(self.shuffle, bool):
            fail("shuffle", f"must be true or false, got {self.shuffle!r}")

    def _validate_points(self) -> None:
        if not 2 <= len(self.points) <= MAX_POINTS:
            raise ValueError(f"points: the user dataset needs 2 to {MAX_POINTS:,} points, got "
                             f"{len(self.points)}")
        for i, p in enumerate(self.points):
            ok = len(p) == 3 and all(isinstance(v, int | float) and not isinstance(v, bool)
                                     and math.isfinite(v) for v in p)
            if not ok or max(abs(p[0]), abs(p[1])) > MAX_VALUE:
                raise ValueError(f"points: point {i + 1} is not three finite numbers "
                                 f"(x1, x2, label), coordinates at most {MAX_VALUE:,.0f}")
            error = label_error(p[2], self.problem)
            if error:
                raise ValueError(f"points: point {i + 1}: {error}")
        try:
            normalize_labels(np.array([p[2] for p in self.points]), self.problem)
        except ValueError as e:
            raise ValueError(f"points: {e}") from None

    # derived ---------------------------------------------------------------------------------
    @property
    def n_classes(self) -> int | None:
        """Classes of the dataset (None for regression; for user points, read from labels)."""
        if self.problem == "regression":
            return None
        if self.dataset != USER_DATASET:
            return get_spec(self.dataset).n_classes
        labels = {p[2] for p in self.points}
        if -1 in labels:
            return 2
        return max(2, int(max(labels)) + 1) if labels else 2

    @property
    def loss_name(self) -> str:
        """The loss used: `loss`, or the problem's default."""
        return self.loss or default_loss(self.problem, self.n_classes)

    @property
    def hidden_activations(self) -> tuple[str, ...]:
        return self.activations if self.activations is not None else (
            (self.activation,) * len(self.hidden))

    @property
    def is_image_dataset(self) -> bool:
        return self.dataset.startswith("digits")

    def replace(self, **changes: Any) -> Config:
        """A copy with some fields changed (validated)."""
        return dataclasses.replace(self, **changes)

    # serialization ---------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: tuples as lists, every field."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                value = [list(v) if isinstance(v, tuple) else v for v in value]
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Config:
        """Inverse of to_dict; missing fields take their defaults. ValueError on unknown or
        invalid fields."""
        if not isinstance(d, dict):
            raise ValueError("config: expected an object of settings")
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(d) - names)
        if unknown:
            raise ValueError(f"config: unknown setting {unknown[0]!r}")
        kwargs = dict(d)
        for name in NAMES:  # each a name; compared with a table's, a list would not say which
            value = kwargs.get(name)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"{name}: expected a name, got {_brief(value)}")
        for name in ("features", "hidden", "activations"):
            if kwargs.get(name) is not None:
                if not isinstance(kwargs[name], list | tuple):
                    raise ValueError(f"{name}: expected a list, got {_brief(kwargs[name])}")
                kwargs[name] = tuple(kwargs[name])
        for name in ("features", "activations"):
            for value in kwargs.get(name) or ():
                if not isinstance(value, str):
                    raise ValueError(f"{name}: expected a list of names, got {_brief(value)} "
                                     "in it")
        if "points" in kwargs:
            try:
                kwargs["points"] = tuple(tuple(float(v) for v in p) for p in kwargs["points"])
            except (TypeError, ValueError):
                raise ValueError("points: expected a list of [x1, x2, label] numbers") from None
        try:
            return cls(**kwargs)
        except TypeError as e:  # a value of the wrong type deep in a comparison
            raise ValueError(f"config: {e}") from None


def _brief(value: Any, limit: int = 60) -> str:
    """repr(value), cut short: a message quotes a file's value, however long."""
    text = repr(value) if not isinstance(value, list | dict) or len(value) < limit else (
        f"a {type(value).__name__} of {len(value):,}")
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _number(value: Any, name: str, limit: Limit) -> None:
    low, high, low_open = limit.low, limit.high, limit.low_open
    ok = isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)
    if ok:
        try:
            value = float(value)
        except OverflowError:  # an int beyond any float
            value = math.inf
        ok = math.isfinite(value) and (value > low if low_open else value >= low) and (
            value <= high)
    if not ok:
        low_text = f"more than {low:g} and at most" if low_open else f"from {low:g} to"
        raise ValueError(f"{name}: must be a number {low_text} {high:g}, got {value!r}")


# building ------------------------------------------------------------------------------------
@dataclass
class Experiment:
    """What a Config builds: its dataset and a trainer on it."""

    config: Config
    dataset: Dataset
    trainer: Trainer

    def inputs(self, x: np.ndarray) -> np.ndarray:
        """Raw points (N, 2) (or digit pixels (N, 64)) -> network inputs."""
        return network_inputs(self.config, x)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The network's output for raw points (N, 2) (or pixels), e.g. a grid for a heatmap;
        afterwards `trainer.network.activations` holds every neuron's values over x."""
        return self.trainer.predict(self.inputs(x))


def network_inputs(config: Config, x: np.ndarray) -> np.ndarray:
    """The network's inputs for raw points: the chosen features (pixels pass through)."""
    if config.is_image_dataset:
        return np.asarray(x, dtype=float)
    return featurize(x, config.features)


def build_dataset(config: Config, rng: np.random.Generator) -> Dataset:
    if config.dataset == USER_DATASET:
        return from_points(config.points, config.problem, config.train_ratio, rng)
    return make_dataset(config.dataset, config.noise, config.train_ratio, rng)


def build_experiment(config: Config) -> Experiment:
    """Dataset, network and trainer for `config`. The seed feeds three independent streams
    (data, initial weights, training order), so changing the network leaves the data alone."""
    data_rng, init_rng, train_rng = (np.random.default_rng(s)
                                     for s in np.random.SeedSequence(config.seed).spawn(3))
    dataset = build_dataset(config, data_rng)
    loss = get_loss(config.loss_name)
    x_train = network_inputs(config, dataset.x_train)
    x_test = network_inputs(config, dataset.x_test)
    sizes = [x_train.shape[1], *config.hidden, loss.n_outputs(dataset.n_classes)]
    network = Network(sizes, list(config.hidden_activations),
                      output_activation=output_activation(config.problem, loss),
                      init=config.init, rng=init_rng)
    trainer = Trainer(network, loss, make_optimizer(config.optimizer, config.learning_rate),
                      x_train, dataset.y_train, x_test, dataset.y_test,
                      batch_size=config.batch_size, rng=train_rng,
                      regularization=config.regularization, reg_rate=config.reg_rate,
                      problem=config.problem, shuffle=config.shuffle)
    experiment = Experiment(config, dataset, trainer)
    trainer.context = experiment
    return experiment


def build_trainer(config: Config) -> Trainer:
    """A fresh Trainer for `config`; its `context` is the Experiment (config, dataset)."""
    return build_experiment(config).trainer


# the saved-model format ------------------------------------------------------------------------
def parse_model(data: bytes) -> Any:
    """The JSON value of a saved model's file, read as the page and the command line read it:
    at most MAX_MODEL_BYTES, UTF-8 with or without a byte-order mark. ValueError whose message
    goes after "The file" ("is too big for a saved model ..."); load_model checks the rest."""
    if len(data) > MAX_MODEL_BYTES:
        raise ValueError(f"is too big for a saved model (more than "
                         f"{MAX_MODEL_BYTES // 2**20} MB)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("is not a saved model: it is not text (UTF-8)") from None
    if not text.strip():
        raise ValueError("is empty")
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(f"is not a saved model: it is not valid JSON ({e.msg} at line "
                         f"{e.lineno}, column {e.colno})") from None
    except RecursionError:
        raise ValueError("is not a saved model: its JSON is nested too deeply") from None
    except ValueError:  # e.g. a number of more digits than Python converts
        raise ValueError("is not a saved model: it is not valid JSON (a number is too "
                         "long)") from None


def save_model(trainer: Trainer, config: Config) -> dict[str, Any]:
    """{"format", "version", "config", "weights", "biases", "epoch"}: JSON-serializable."""
    weights, biases = trainer.network.get_weights()
    return {"format": MODEL_FORMAT, "version": MODEL_VERSION, "config": config.to_dict(),
            "weights": [w.tolist() for w in weights], "biases": [b.tolist() for b in biases],
            "epoch": int(trainer.epoch)}


def load_model(d: Any) -> tuple[Config, Trainer]:
    """The config and a trainer with the saved weights (and epoch count). ValueError if `d` is
    not a saved model or its weights do not fit its network; nothing else, whatever JSON `d`
    holds. Weights whose loss is not finite load as they are (the trainer says so)."""
    try:
        return _load_model(d)
    except ValueError as e:
        raise ValueError(_cut(str(e))) from None
    except (TypeError, OverflowError, RecursionError) as e:  # a value of a type not checked
        raise ValueError(_cut(f"not a saved model: {e}")) from None


def _cut(message: str, limit: int = 300) -> str:
    """A message quoting a file's values, cut to one readable line."""
    message = " ".join(message.split())
    return message if len(message) <= limit else message[:limit - 3] + "..."


def _load_model(d: Any) -> tuple[Config, Trainer]:
    if not isinstance(d, dict):
        raise ValueError("not a saved model: expected a JSON object")
    if d.get("format") != MODEL_FORMAT:
        raise ValueError(f"not a saved model: 'format' must be {MODEL_FORMAT!r}")
    if d.get("version") != MODEL_VERSION:
        raise ValueError(f"unsupported model version {d.get('version')!r} (this reads "
                         f"{MODEL_VERSION})")
    for key in ("config", "weights", "biases"):
        if key not in d:
            raise ValueError(f"not a saved model: '{key}' is missing")
    if not isinstance(d["weights"], list) or not isinstance(d["biases"], list):
        raise ValueError("weights and biases must be lists")
    config = Config.from_dict(d["config"])
    epoch = d.get("epoch", 0)
    if not isinstance(epoch, int) or isinstance(epoch, bool) or epoch < 0:
        raise ValueError(f"epoch must be a whole number >= 0, got {_brief(epoch)}")
    if epoch >= MAX_EPOCH:
        raise ValueError(f"its epoch count is too large: at most {MAX_EPOCH - 1:,}")
    trainer = build_trainer(config)
    trainer.load_weights(d["weights"], d["biases"], epoch)
    return config, trainer
