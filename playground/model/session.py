"""One learner's session: the State they edit and the TrainingLoop it drives.

As in TensorFlow Playground, changing the learning rate keeps training (so do the batch size
and the regularization rate, which the engine can change between steps); changing the data or
the network builds a new experiment at epoch 0. Display toggles change nothing here.

Your own data: `open_csv` reads a CSV file of x1, x2, label into `user_data`, which then
overrides the State's dataset (the experiment's Config has dataset "user" and the points) until
another dataset or problem is chosen, a saved model is opened, or `clear_user_data` is called.
Every other setting still applies. The State, and so the link, cannot hold the points: the
link keeps naming the chosen dataset (the page says so next to the file input).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import param

from playground.data.csv import parse_csv
from playground.data.datasets import MAX_POINTS
from playground.experiment import (
    MAX_EPOCH,
    MAX_MODEL_BYTES,
    USER_DATASET,
    Config,
    load_model,
    save_model,
)
from playground.model.training import TrainingLoop
from playground.state import MAX_HIDDEN_LAYERS, MAX_NEURONS, State

LIVE = frozenset({"learning_rate", "batch_size", "reg_rate"})
DISPLAY = frozenset({"show_test_data", "discretize", "hide_text", "hidden_controls", "name"})
NEW_LAYER_SIZE = 2  # TensorFlow Playground's
MAX_TYPED_WEIGHT = 100.0  # a typed weight beyond this only overflows the views
MAX_CSV_BYTES = 2 * 1024 * 1024  # 10,000 rows of x1,x2,label fit in well under 1 MB
DATA_SETTINGS = frozenset({"dataset", "reg_dataset", "problem"})  # choosing data: yours go


@dataclass(frozen=True)
class UserData:
    """Points read from the user's file: (x1, x2, label) rows, for `problem`."""

    points: tuple[tuple[float, float, float], ...]
    problem: str
    name: str = ""

    def __len__(self) -> int:
        return len(self.points)


class Session(param.Parameterized):
    """The State and the TrainingLoop kept in step; `topology` counts rebuilt experiments."""

    state = param.ClassSelector(class_=State)
    loop = param.ClassSelector(class_=TrainingLoop)
    topology = param.Integer(default=0, doc="Bumped whenever a new experiment is built.")
    notice = param.String(default="", doc="Why the last change was not applied, if it was not.")
    user_data = param.ClassSelector(class_=UserData, default=None, allow_None=True, doc=(
        "The user's own points (from a CSV file), used instead of the State's dataset."))

    def __init__(self, state: State | None = None, ready: Callable[[], bool] | None = None,
                 **params) -> None:
        state = state if state is not None else State()
        super().__init__(state=state, loop=TrainingLoop(config=state.to_config(), ready=ready),
                         **params)
        state.param.watch(self._keep_an_input, "features")
        state.param.watch(self._on_state, [p for p in state.param if p != "name"])

    def config(self) -> Config:
        """The experiment's Config for the State as it is, with the user's points if any
        (ValueError if the State cannot make one)."""
        config = self.state.to_config()
        user = self.user_data
        if user is not None:
            config = config.replace(dataset=USER_DATASET, points=user.points)
        return config

    # state -> experiment ----------------------------------------------------------------------
    def _keep_an_input(self, event: param.parameterized.Event) -> None:
        """The network needs an input: unticking the last feature leaves it on."""
        if not event.new:
            self.state.features = list(event.old) or list(self.state.param.features.default)

    def _on_state(self, *events: param.parameterized.Event) -> None:
        changed = {e.name for e in events} - DISPLAY
        if not changed or not self.state.features:
            return  # (no input left: _keep_an_input puts one back, and that change rebuilds)
        if changed & DATA_SETTINGS:
            self.user_data = None  # another dataset was chosen: the file's points make way
        try:
            config = self.config()
        except ValueError as exc:
            self.notice = f"That setting cannot be used: {exc}"
            return
        self.notice = ""
        if config == self.loop.config:
            return  # the experiment's settings as they are (the last input left on): keep it
        if changed <= LIVE:
            trainer = self.loop.trainer
            trainer.learning_rate = config.learning_rate
            trainer.batch_size = config.batch_size
            trainer.reg_rate = config.reg_rate
            self.loop.config = config  # Reset keeps these too
            return
        self.rebuild(config)

    def rebuild(self, config=None) -> None:
        """A new experiment from the state (new weights, epoch 0)."""
        self.loop.reset(config if config is not None else self.config())
        self.topology += 1

    def recover(self, learning_rate: float | None = None) -> None:
        """Start over after a divergence (any time, in fact): set `learning_rate` first if one
        is given (the control and the link follow), then Reset."""
        if learning_rate is not None and learning_rate != self.state.learning_rate:
            self.state.learning_rate = learning_rate  # live: the trainer and config take it
        self.loop.reset()

    # your own data ---------------------------------------------------------------------------
    def open_csv(self, data: str | bytes, name: str = "") -> str | None:
        """Train on the points of a CSV file (x1, x2, label per line, an optional header): a
        new experiment with every other setting kept. None if it opened; otherwise a reason in
        words, and nothing changed. Too big a file is refused before it is decoded."""
        try:
            points = _read_csv(data, self.state.problem)
        except ValueError as exc:
            return _sentence(str(exc), limit=400)
        user = UserData(points, self.state.problem, name)
        try:
            config = self.state.to_config().replace(dataset=USER_DATASET, points=points)
        except ValueError as exc:
            return _sentence(f"The file cannot be used: {exc}", limit=400)
        self.loop.pause()
        self.user_data = user
        self.notice = ""
        self.rebuild(config)
        return None

    def clear_user_data(self) -> None:
        """Back to the State's dataset (a new experiment), if the user's points were in use."""
        if self.user_data is not None:
            self.user_data = None
            self.rebuild()

    # the network's shape ---------------------------------------------------------------------
    def add_layer(self) -> None:
        if len(self.state.hidden) < MAX_HIDDEN_LAYERS:
            self.state.hidden = [*self.state.hidden, NEW_LAYER_SIZE]

    def remove_layer(self) -> None:
        if self.state.hidden:
            self.state.hidden = self.state.hidden[:-1]

    def add_neuron(self, layer: int) -> None:
        """layer: 0-based index of a hidden layer."""
        sizes = list(self.state.hidden)
        if 0 <= layer < len(sizes) and sizes[layer] < MAX_NEURONS:
            sizes[layer] += 1
            self.state.hidden = sizes

    def remove_neuron(self, layer: int) -> None:
        sizes = list(self.state.hidden)
        if 0 <= layer < len(sizes) and sizes[layer] > 1:
            sizes[layer] -= 1
            self.state.hidden = sizes

    # editing a weight --------------------------------------------------------------------------
    def weight(self, layer: int, src: int | None, dst: int) -> float:
        """W[src, dst] of a layer, or its bias b[dst] when src is None."""
        dense = self.loop.trainer.network.layers[layer]
        return float(dense.b[dst] if src is None else dense.W[src, dst])

    def set_weight(self, layer: int, src: int | None, dst: int, value: float) -> bool:
        """Set one weight (or, with src None, one bias) the learner typed, and show what it
        does to the loss and the output; False, and nothing changed, unless
        |value| <= MAX_TYPED_WEIGHT."""
        if not (np.isfinite(value) and abs(value) <= MAX_TYPED_WEIGHT):
            return False
        self.loop.pause()
        trainer = self.loop.trainer
        dense = trainer.network.layers[layer]
        if src is None:
            dense.b[dst] = float(value)
        else:
            dense.W[src, dst] = float(value)
        trainer.reevaluate()
        self.loop.publish()
        return True

    def toggle_input(self, index: int) -> None:
        """Switch the index-th shown input feature off (the last one stays on); a tapped input
        of TensorFlow Playground. Inputs that are off come back through the feature buttons."""
        features = list(self.state.features)
        if 0 <= index < len(features) and len(features) > 1 and not (
                self.loop.trainer.context.config.is_image_dataset):
            del features[index]
            self.state.features = features

    # saving and opening a model --------------------------------------------------------------
    def model_json(self) -> str:
        """The trained network and its settings, as the command line's `--save` writes them."""
        return json.dumps(save_model(self.loop.trainer, self.loop.config), indent=2)

    def load_model_json(self, text: str | bytes) -> str | None:
        """Open a saved model: its settings go to the state, its weights and epoch to a new
        experiment (training paused). None if it opened; otherwise a one-sentence reason, and
        nothing changed."""
        try:
            state, weights, biases, epoch = _read_model(text)
        except ValueError as exc:
            return _sentence(str(exc))
        self.loop.pause()
        self.user_data = None  # a saved model brings its own dataset
        resets = self.loop.resets
        config = state.to_config()
        inactive = "dataset" if state.problem == "regression" else "reg_dataset"
        self.state.param.update(**{k: v for k, v in state.values().items()
                                   if k not in DISPLAY and k != inactive})
        if self.loop.resets == resets or self.loop.config != config:  # no rebuild happened
            self.rebuild(config)
        self.notice = ""
        self.loop.load(weights, biases, epoch)
        return None


def _read_model(text: str | bytes) -> tuple[State, list, list, int]:
    """(state, weights, biases, epoch) of a saved model; ValueError saying what is wrong."""
    size = len(text) if isinstance(text, bytes) or len(text) > MAX_MODEL_BYTES else len(
        text.encode("utf-8", "replace"))
    if size > MAX_MODEL_BYTES:
        raise ValueError(f"The file is too big for a saved model (more than "
                         f"{MAX_MODEL_BYTES // 2**20} MB)")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError("The file is not a saved model: it is not text") from None
    if not text.strip():
        raise ValueError("The file is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"The file is not a saved model: it is not valid JSON ({exc.msg} at "
                         f"line {exc.lineno}, column {exc.colno})") from None
    except (ValueError, RecursionError):
        raise ValueError("The file is not a saved model: it is not valid JSON") from None
    try:
        config, _ = load_model(data)
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise ValueError(f"The file cannot be opened ({exc})") from None
    if data.get("epoch", 0) >= MAX_EPOCH:
        raise ValueError("The file cannot be opened (its epoch count is too large)")
    try:
        state = State.from_config(config)
    except ValueError as exc:
        raise ValueError(f"This model cannot be opened on this page: {exc}") from None
    weights = _page_order(config, state, data["weights"])
    return state, weights, data["biases"], data.get("epoch", 0)


def _read_csv(data: str | bytes, problem: str) -> tuple[tuple[float, float, float], ...]:
    """The (x1, x2, label) rows of a CSV file; ValueError saying what is wrong. The size is
    checked before anything is decoded or parsed."""
    size = len(data) if isinstance(data, bytes) or len(data) > MAX_CSV_BYTES else len(
        data.encode("utf-8", "replace"))
    problem_text = csv_size_problem(size)
    if problem_text:
        raise ValueError(problem_text)
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError("The file is not a CSV file: it is not text") from None
    if "\x00" in data:
        raise ValueError("The file is not a CSV file: it is binary, not text")
    if not data.strip():
        raise ValueError("The file is empty: expected lines of x1, x2, label")
    try:
        x, labels = parse_csv(data, problem)
    except ValueError as exc:
        hint = ""
        if problem == "classification" and "is not a class" in str(exc):
            hint = "; for numbers to predict, choose the regression problem first"
        raise ValueError(f"The file cannot be used: {exc}{hint}") from None
    return tuple((float(a), float(b), float(c)) for (a, b), c in zip(x, labels, strict=True))


def csv_size_problem(size: int) -> str | None:
    """Why a CSV file of `size` bytes is refused (too big), or None if its size is fine."""
    if size <= MAX_CSV_BYTES:
        return None
    return (f"The file is too big ({_megabytes(size)}): the limit is "
            f"{_megabytes(MAX_CSV_BYTES)} ({MAX_POINTS:,} rows of x1, x2, label).")


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size % 2**20 else f"{size // 2**20} MB"


def _page_order(config: Config, state: State, weights: list[Any]) -> list[Any]:
    """The saved weights with the first layer's rows in the page's order of the features."""
    if config.is_image_dataset or list(config.features) == state.features:
        return weights
    rows = [config.features.index(f) for f in state.features]
    return [np.asarray(weights[0], dtype=float)[rows], *weights[1:]]


def _sentence(text: str, limit: int = 300) -> str:
    """One short, printable sentence (a reason may quote the file)."""
    text = "".join(c if c.isprintable() else "?" for c in text).removesuffix(".")
    if len(text) >= limit:
        text = text[: limit - 2] + "…"
    return text + "."
