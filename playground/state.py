"""The serializable configuration: every control, its bounds, its URL key, its default.

One declarative table (`FIELDS`) drives both directions, URL -> state and state -> URL, as
TensorFlow Playground's state.ts does, and uses TensorFlow Playground's key names and value
spellings wherever it has the setting, so lesson links work both ways. Malformed or
out-of-range values never raise: they fall back to the default or are clamped, and each one is
named in `State.from_url(...)`'s notices.

Nothing here is declared twice: the values each control offers, and how a link spells them,
are the registries' (engine.choices: each entry's `page` and `url`); the bounds are the page's
limits in playground.experiment. `key_table` renders the README's table of keys from them.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

import param

from playground.data.datasets import DATASETS
from playground.data.features import FEATURES
from playground.engine.activations import ACTIVATIONS as ENGINE_ACTIVATIONS
from playground.engine.choices import Choice, lookup, offered
from playground.engine.losses import default_loss
from playground.engine.optimizers import OPTIMIZERS
from playground.engine.problems import PROBLEMS
from playground.engine.regularization import REGULARIZERS
from playground.experiment import (
    BATCH_SIZE,
    HIDDEN_LAYERS,
    LEARNING_RATE,
    NEURONS,
    NOISE,
    REG_RATE,
    TRAIN_RATIO,
    USER_DATASET,
    Config,
    Limit,
)

# TensorFlow Playground's menus of learning rates and regularization rates.
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
# What the page offers, from the registries (engine.choices: each entry's `page`, `url`).
CLASSIFICATION_DATASETS = tuple(n for n, s in offered(DATASETS).items()
                                if s.problem == "classification")
REGRESSION_DATASETS = tuple(n for n, s in offered(DATASETS).items() if s.problem == "regression")
ACTIVATIONS = tuple(offered(ENGINE_ACTIVATIONS))
# Input features: our name -> its URL key (TensorFlow Playground's, where it has the feature).
FEATURE_KEYS = {name: feature.url for name, feature in offered(FEATURES).items()}
# Controls a link can hide (`<key>_hide=true`): TensorFlow Playground's, and ours.
HIDEABLE_TF = ("playButton", "stepButton", "resetButton", "dataset", "noise", "percTrainData",
               "learningRate", "activation", "regularization", "regularizationRate", "problem",
               "batchSize", "numHiddenLayers", "showTestData", "discretize")
HIDEABLE_OURS = ("optimizer", "features", "share", "lossChart", "activationView", "stepThrough")
HIDEABLE = HIDEABLE_TF + HIDEABLE_OURS
# The page's network (TensorFlow Playground's): experiment.HIDDEN_LAYERS and NEURONS.
MAX_HIDDEN_LAYERS = int(HIDDEN_LAYERS.page_high)
MAX_NEURONS = int(NEURONS.page_high)
MAX_SEED = 2**32  # seeds are below this: digits as they are, other text hashed to 4 bytes


def _bounds(limit: Limit, scale: float = 1) -> tuple[Any, Any]:
    """The page's range of an experiment limit, as a parameter's bounds (`scale`: 100 for a
    ratio shown in percent)."""
    low, high = (v * scale for v in (limit.page_low, limit.page_high))
    return tuple(round(v) if abs(v - round(v)) < 1e-9 else v for v in (low, high))


class State(param.Parameterized):
    """Everything a link reproduces: data, network, training, display."""

    problem = param.Selector(default="classification", objects=list(offered(PROBLEMS)))
    dataset = param.Selector(default="circle", objects=list(CLASSIFICATION_DATASETS))
    reg_dataset = param.Selector(default="plane", objects=list(REGRESSION_DATASETS))
    noise = param.Integer(default=0, bounds=_bounds(NOISE))
    train_percent = param.Integer(default=50, bounds=_bounds(TRAIN_RATIO, 100))
    seed = param.String(default="1", doc="Any text: the same seed gives the same run.")
    features = param.ListSelector(default=["x1", "x2"], objects=list(FEATURE_KEYS))
    hidden = param.List(default=[4, 2], item_type=int)
    activation = param.Selector(default="tanh", objects=list(ACTIVATIONS))
    learning_rate = param.Number(default=0.03, bounds=_bounds(LEARNING_RATE))
    regularization = param.Selector(default="none", objects=list(offered(REGULARIZERS)))
    reg_rate = param.Number(default=0.0, bounds=_bounds(REG_RATE))
    batch_size = param.Integer(default=10, bounds=_bounds(BATCH_SIZE))
    optimizer = param.Selector(default="sgd", objects=list(offered(OPTIMIZERS)))
    init_zero = param.Boolean(default=False)
    show_test_data = param.Boolean(default=False)
    discretize = param.Boolean(default=False)
    hide_text = param.Boolean(default=False)
    hidden_controls = param.List(default=[], item_type=str)

    def active_dataset(self) -> str:
        return self.reg_dataset if self.problem == "regression" else self.dataset

    def to_config(self) -> Config:
        """The engine's configuration for this state."""
        return Config(
            dataset=self.active_dataset(), problem=self.problem, noise=self.noise,
            train_ratio=self.train_percent / 100, seed=seed_to_int(self.seed),
            features=tuple(self.features) or ("x1", "x2"), hidden=tuple(self.hidden),
            activation=self.activation, learning_rate=self.learning_rate,
            regularization=self.regularization, reg_rate=self.reg_rate,
            batch_size=self.batch_size, optimizer=self.optimizer,
            init="zeros" if self.init_zero else "tfp",
        )

    @classmethod
    def from_config(cls, config: Config) -> State:
        """The state whose `to_config()` runs as `config` (display settings at their defaults;
        features in the page's order). ValueError, in words a learner can follow, when the
        page has no control for one of its settings."""
        _check_representable(config)
        dataset = {"dataset" if config.problem == "classification" else "reg_dataset":
                   config.dataset}
        state = cls(
            problem=config.problem, **dataset, noise=round(config.noise),
            train_percent=round(config.train_ratio * 100), seed=str(int(config.seed)),
            features=[f for f in FEATURE_KEYS if f in config.features],
            hidden=[int(n) for n in config.hidden],
            activation=(config.hidden_activations or (config.activation,))[0],
            learning_rate=float(config.learning_rate), regularization=config.regularization,
            reg_rate=float(config.reg_rate), batch_size=int(config.batch_size),
            optimizer=config.optimizer, init_zero=config.init == "zeros")
        if not _same_run(state.to_config(), config):
            raise ValueError("the page cannot show some of its settings")
        return state

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.param if name != "name"}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, State) and self.values() == other.values()

    __hash__ = None  # type: ignore[assignment]

    # URL ------------------------------------------------------------------------------------
    def to_url(self) -> str:
        """The hash (without '#'), TensorFlow Playground's keys first."""
        parts = []
        for field in FIELDS:
            text = field.write(self)
            if text is not None:
                parts.append(f"{field.key}={quote(text, safe=',.-_')}")
        for feature, key in FEATURE_KEYS.items():
            parts.append(f"{key}={'true' if feature in self.features else 'false'}")
        parts += [f"{key}_hide=true" for key in self.hidden_controls]
        return "&".join(parts)

    @classmethod
    def from_url(cls, text: str) -> tuple[State, list[str]]:
        """Parse a URL hash (or query); return the state and a notice per ignored value.

        Never raises: whatever `text` holds, the state is within every bound and builds, and
        each value that was ignored, clamped or rounded is named in a short, printable notice
        (which quotes at most 40 characters of it, never as markup: see `_show`)."""
        state = cls()
        if not isinstance(text, str):
            return state, [f"the link is not text ({type(text).__name__}); used the defaults"]
        notices: list[str] = []
        pairs = _pairs(text, notices)
        features = list(state.features)
        hidden_controls: list[str] = []
        for key, value in pairs.items():
            if key in BY_KEY:
                BY_KEY[key].read(state, value, notices)
            elif key in FEATURE_OF_KEY:
                feature = FEATURE_OF_KEY[key]
                flag = _bool(value)
                if flag is None:
                    notices.append(f"{key}: '{_show(value)}' is not true/false; ignored")
                elif flag and feature not in features:
                    features.append(feature)
                elif not flag and feature in features:
                    features.remove(feature)
            elif key.endswith("_hide"):
                control = key[: -len("_hide")]
                flag = _bool(value)
                if control not in HIDEABLE:
                    notices.append(f"'{_show(key)}': no such control to hide; ignored")
                elif flag is None:
                    notices.append(f"{key}: '{_show(value)}' is not true/false; ignored")
                elif flag:
                    hidden_controls.append(control)
            elif key not in IGNORED_KEYS:
                notices.append(f"'{_show(key)}': unknown setting; ignored")
        if not features:  # the engine needs an input: the page keeps the default ones
            notices.append("features: every input feature was off; used x and y")
            features = list(state.param.features.default)
        state.features = [f for f in FEATURE_KEYS if f in features]
        state.hidden_controls = hidden_controls
        return state, notices


# The table --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    """One URL key <-> one state parameter."""

    key: str
    name: str
    parse: Callable[[str, param.Parameter], Any]  # raises ValueError on a bad value
    write_value: Callable[[Any], str | None] = str

    def write(self, state: State) -> str | None:
        return self.write_value(getattr(state, self.name))

    def read(self, state: State, text: str, notices: list[str]) -> None:
        p = state.param[self.name]
        try:
            parsed = self.parse(text, p)
            value, clamped = _clamp(parsed, p)
            setattr(state, self.name, value)
        except (ValueError, TypeError, OverflowError):
            notices.append(f"{self.key}: '{_show(text)}' is not valid; used the default "
                           f"({_show(self.write(state) or '')})")
            return
        if clamped:
            shown = _show(self.write(state) or "")
            problem = "is out of range" if _outside(parsed, p) else "is not a whole number"
            notices.append(f"{self.key}: '{_show(text)}' {problem}; used {shown}")


def _number(text: str, p: param.Parameter) -> float:
    """A finite number (Python's float() spelling, as TensorFlow Playground's parseFloat
    reads its own links); integers are rounded by `_clamp`, which says so."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _choice(table: dict[str, Choice]) -> Callable[[str, param.Parameter], str]:
    """Parses any spelling of an entry of `table` (the link's, ours, the command line's) that
    the parameter offers."""
    def parse(text: str, p: param.Parameter) -> str:
        value = lookup(table, text)
        if value not in p.objects:
            raise ValueError(text)
        return value
    return parse


def _spelled(table: dict[str, Choice]) -> Callable[[str], str]:
    """Writes an entry of `table` as a link spells it."""
    return lambda name: table[name].url


def _flag(text: str, p: param.Parameter) -> bool:
    value = _bool(text)
    if value is None:
        raise ValueError(text)
    return value


def _shape(text: str, p: param.Parameter) -> list[float]:
    if text.strip() == "":
        return []
    return [_number(part, p) for part in text.split(",")]


def _seed(text: str, p: param.Parameter) -> str:
    text = text.strip()
    if not text or len(text) > 64 or not text.isprintable():
        raise ValueError(text)
    return text


def _clamp(value: Any, p: param.Parameter) -> tuple[Any, bool]:
    """(the value within p's bounds, rounded for an Integer; True if that changed it)."""
    if isinstance(value, list):  # network shape: at most 6 layers of 1 to 8 neurons
        low = NEURONS.page_low
        sizes = [round(min(max(v, low), MAX_NEURONS)) for v in value[:MAX_HIDDEN_LAYERS]]
        return sizes, sizes != value
    if isinstance(value, float):
        lo, hi = p.bounds
        clamped = min(max(value, lo), hi)
        if isinstance(p, param.Integer):
            clamped = round(clamped)
        return clamped, clamped != value
    return value, False


def _outside(value: Any, p: param.Parameter) -> bool:
    """Was a parsed number (or network shape) outside the bounds, rather than fractional?"""
    if isinstance(value, list):
        return len(value) > MAX_HIDDEN_LAYERS or any(
            not NEURONS.page_low <= v <= MAX_NEURONS for v in value)
    lo, hi = p.bounds
    return not lo <= value <= hi


def _decimal(value: float) -> str:
    """A number as short as TensorFlow Playground writes it (0.03, 1e-05), yet exact."""
    text = f"{value:g}"
    return text if float(text) == value else repr(value)


FIELDS: tuple[Field, ...] = (
    Field("activation", "activation", _choice(ENGINE_ACTIVATIONS), _spelled(ENGINE_ACTIVATIONS)),
    Field("batchSize", "batch_size", _number),
    Field("dataset", "dataset", _choice(DATASETS), _spelled(DATASETS)),
    Field("regDataset", "reg_dataset", _choice(DATASETS), _spelled(DATASETS)),
    Field("learningRate", "learning_rate", _number, _decimal),
    Field("regularizationRate", "reg_rate", _number, _decimal),
    Field("noise", "noise", _number),
    Field("networkShape", "hidden", _shape, lambda v: ",".join(str(n) for n in v)),
    Field("seed", "seed", _seed),
    Field("showTestData", "show_test_data", _flag, lambda v: str(v).lower()),
    Field("discretize", "discretize", _flag, lambda v: str(v).lower()),
    Field("percTrainData", "train_percent", _number),
    Field("problem", "problem", _choice(PROBLEMS), _spelled(PROBLEMS)),
    Field("initZero", "init_zero", _flag, lambda v: str(v).lower()),
    Field("hideText", "hide_text", _flag, lambda v: str(v).lower()),
    Field("regularization", "regularization", _choice(REGULARIZERS), _spelled(REGULARIZERS)),
    Field("optimizer", "optimizer", _choice(OPTIMIZERS), _spelled(OPTIMIZERS)),  # ours
)
IGNORED_KEYS = {"collectStats", "tutorial", "embed"}  # TF keys with no meaning here
BY_KEY = {f.key: f for f in FIELDS}
FEATURE_OF_KEY = {key: feature for feature, key in FEATURE_KEYS.items()}
KNOWN_KEYS = frozenset(BY_KEY) | frozenset(FEATURE_OF_KEY)


def seed_to_int(seed: str) -> int:
    """A seed text as the engine's integer seed: digits below 2^32 as they are, other text
    hashed to a number below 2^32 (so `str(seed_to_int(s))` gives the same run as `s`)."""
    text = seed.strip()
    digits = text.lstrip("0")
    if text.isdecimal() and len(digits) <= 10 and int(digits or "0") < MAX_SEED:
        return int(digits or "0")
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")


# Config -> State ---------------------------------------------------------------------------
def _check_representable(config: Config) -> None:
    """ValueError naming the first setting of `config` the page has no control for."""
    def page_range(name: str, value: Any, low: Any, high: Any) -> None:
        if not low <= value <= high:
            raise ValueError(f"its {name} is {value:g}, and the page allows {low:g} to {high:g}")

    if config.dataset == USER_DATASET:
        raise ValueError("it was trained on your own points, and the page cannot load them")
    page_datasets = CLASSIFICATION_DATASETS + REGRESSION_DATASETS
    if config.dataset not in page_datasets:
        raise ValueError(f"the page has no {_show(config.dataset)!r} dataset")
    if len(set(config.hidden_activations)) > 1:
        raise ValueError("its hidden layers use different activations, and the page uses one "
                         "for all of them")
    if config.activation not in ACTIVATIONS or not set(config.hidden_activations) <= set(
            ACTIVATIONS):
        raise ValueError("the page does not have its activation")
    page_loss = default_loss(config.problem, config.n_classes)
    if config.loss_name != page_loss:
        raise ValueError(f"it uses the {config.loss_name} loss, and the page uses {page_loss} "
                         "for this data")
    if config.init not in ("tfp", "zeros"):
        raise ValueError(f"its weights start with the {config.init} initializer, and the page "
                         "has only the default one and zeros")
    if config.shuffle:
        raise ValueError("it shuffles the training data, and the page does not")
    if len(config.hidden) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"it has {len(config.hidden)} hidden layers, and the page allows at "
                         f"most {MAX_HIDDEN_LAYERS}")
    if any(n > MAX_NEURONS for n in config.hidden):
        raise ValueError(f"a hidden layer has {max(config.hidden)} neurons, and the page allows "
                         f"at most {MAX_NEURONS}")
    if config.noise != round(config.noise):
        raise ValueError(f"its noise is {config.noise:g}, and the page uses whole numbers from "
                         f"{NOISE.page_low:g} to {NOISE.page_high:g}")
    if round(config.train_ratio * 100) / 100 != config.train_ratio:
        raise ValueError(f"its ratio of training data is {config.train_ratio:g}, and the page "
                         "uses whole percentages")
    if config.seed >= MAX_SEED:
        raise ValueError(f"its seed {config.seed} is too large: the page takes seeds below "
                         f"{MAX_SEED:,}")
    for name in ("learning_rate", "batch_size", "reg_rate"):
        low, high = State.param[name].bounds
        page_range(name.replace("_", " "), getattr(config, name), low, high)
    for name in ("regularization", "optimizer"):
        if getattr(config, name) not in State.param[name].objects:
            raise ValueError(f"the page does not have its {name} {getattr(config, name)!r}")


def _same_run(a: Config, b: Config) -> bool:
    """True if the two configs train the same network on the same data (a loss or activations
    spelled out or left to the default; features in another order)."""
    def normal(c: Config) -> Config:
        return c.replace(loss=c.loss_name, activations=c.hidden_activations,
                         features=tuple(sorted(c.features)), activation="tanh")
    return normal(a) == normal(b)


def _bool(text: str) -> bool | None:
    return {"true": True, "1": True, "false": False, "0": False, "": True}.get(text.lower())


def _pairs(text: str, notices: list[str]) -> dict[str, str]:
    """key -> value, percent-decoded as UTF-8; a key given twice keeps its last value (as in
    TensorFlow Playground), with a notice if an earlier one differed."""
    text = text.lstrip("#?")
    pairs: dict[str, str] = {}
    repeated: dict[str, None] = {}
    for part in text.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        try:
            key, value = unquote(key, errors="strict"), unquote(value, errors="strict")
        except UnicodeDecodeError:
            notices.append(f"'{_show(part)}' is not valid text; ignored")
            continue
        if key in pairs and pairs[key] != value:
            repeated[key] = None
        pairs[key] = value
    for key in repeated:
        name = key if key in KNOWN_KEYS else f"'{_show(key)}'"
        notices.append(f"{name}: given more than once; used the last ('{_show(pairs[key])}')")
    return pairs


def _show(text: str, limit: int = 40) -> str:
    """A value as it may appear in a notice: short, printable (never rendered as HTML)."""
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# The README's table of keys ----------------------------------------------------------------------
def key_table() -> str:
    """The README's table of a link's keys and values ("Lesson links"), from the registries and
    the page's limits; tests/test_readme.py holds the README to it, and `python -m
    playground.state` prints it."""
    def values(entries: list[Choice]) -> str:
        """TensorFlow Playground's spellings, then ours."""
        theirs = " ".join(e.url for e in entries if e.tf_name)
        ours = " ".join(e.url for e in entries if not e.tf_name)
        if theirs and ours:
            return f"`{theirs}`; ours: `{ours}`"
        return f"`{theirs or ours}`"

    def key(name: str, entries: list[Choice]) -> str:
        return f"`{name}`" + ("" if any(e.tf_name for e in entries) else " (ours)")

    def page(table: dict[str, Choice], names: tuple[str, ...] | None = None) -> list[Choice]:
        return [table[n] for n in (names or offered(table))]

    def span(low: float, high: float, dash: str = "-") -> str:
        return f"{_plain(low)}{dash}{_plain(high)}"

    classes, regression = (page(DATASETS, CLASSIFICATION_DATASETS),
                           page(DATASETS, REGRESSION_DATASETS))
    features = page(FEATURES)
    rows = [
        ("`dataset`", values(classes)),
        ("`regDataset`", values(regression)),
        (key("problem", page(PROBLEMS)), values(page(PROBLEMS))),
        ("`networkShape`", f"neurons per hidden layer, `4,2` ({span(*_bounds(HIDDEN_LAYERS))} "
                           f"layers of {span(*_bounds(NEURONS))}; more is clamped)"),
        (key("activation", page(ENGINE_ACTIVATIONS)), values(page(ENGINE_ACTIVATIONS))),
        ("`learningRate`, `regularizationRate`, `batchSize`",
         f"as in the menus: `learningRate` {span(min(LEARNING_RATES), max(LEARNING_RATES), ' to ')}"
         f", `regularizationRate` {span(min(REG_RATES), max(REG_RATES), ' to ')}, `batchSize` "
         f"{span(*_bounds(BATCH_SIZE), ' to ')}"),
        (key("regularization", page(REGULARIZERS)), values(page(REGULARIZERS))),
        (f"`noise` ({span(*_bounds(NOISE))}), `percTrainData` "
         f"({span(*_bounds(TRAIN_RATIO, 100))}), `seed` (any text)", "the data"),
        (values(features).replace("; ours: ", ", ours: "), "`true`/`false`: the input features"),
        ("`showTestData`, `discretize`, `initZero`, `hideText`", "`true`/`false`"),
        (key("optimizer", page(OPTIMIZERS)), values(page(OPTIMIZERS))),
        ("`<control>_hide=true`", f"hides a control: TensorFlow Playground's "
                                  f"(`{' '.join(HIDEABLE_TF)}`) and ours "
                                  f"(`{' '.join(HIDEABLE_OURS)}`)"),
    ]
    return "\n".join(["| key | values |", "| --- | --- |",
                      *(f"| {k} | {v} |" for k, v in rows)])


def _plain(value: float) -> str:
    """A number as a person writes it: 0.00001, 10 (not 1e-05, 10.0)."""
    return f"{value:.10f}".rstrip("0").rstrip(".")


if __name__ == "__main__":
    print(key_table())
