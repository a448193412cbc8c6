"""The settings' menus: what each offers (the current value always among them: a link may set
any value) and which are shown (a lesson link hides some with `<key>_hide=true`).

Each menu is bound to its State parameter by its view; here only its options and visibility
are painted, as `settings.<parameter>` targets.
"""

from __future__ import annotations

from collections.abc import Iterable

import param

from playground.model.playground import PlaygroundModel
from playground.painter.frame import Frame
from playground.painter.labels import (
    ACTIVATION_LABELS,
    DATASET_LABELS,
    FEATURE_LABELS,
    OPTIMIZER_LABELS,
    PROBLEM_LABELS,
    REGULARIZATION_LABELS,
)
from playground.state import FEATURE_KEYS, LEARNING_RATES, REG_RATES, State

# State parameter -> its `_hide` key (as TensorFlow Playground names the control)
HIDE_KEYS = {"problem": "problem", "dataset": "dataset", "reg_dataset": "dataset",
             "noise": "noise", "train_percent": "percTrainData", "features": "features",
             "learning_rate": "learningRate", "activation": "activation",
             "regularization": "regularization", "reg_rate": "regularizationRate",
             "batch_size": "batchSize", "optimizer": "optimizer",
             "show_test_data": "showTestData", "discretize": "discretize"}
FIELDS = tuple(HIDE_KEYS)
REGENERATE, FEATURES_CAPTION = "settings.regenerate", "settings.features_caption"
OUTPUT_FLAGS = ("show_test_data", "discretize")  # one-box checkbox groups, painted
FLAG_LABELS = {"show_test_data": "Show test data", "discretize": "Discretize output"}


def target(field: str) -> str:
    return f"settings.{field}"


def _labelled(labels: dict[str, str], names: Iterable[str]) -> list[tuple[str, str]]:
    return [(labels.get(n, n), n) for n in names]


def _numbers(values: Iterable[float], current: float, fmt: str = "{:g}") -> list[tuple[str, float]]:
    return [(fmt.format(v), v) for v in sorted(set(values) | {current})]


def _steps(p: param.Parameter, step: int) -> range:
    """Every `step` through an Integer parameter's bounds (the page's limits, experiment's)."""
    low, high = p.bounds
    return range(low, high + 1, step)


def options(state: State) -> dict[str, list[tuple[str, object]]]:
    """Each menu's (label, value) pairs, in order."""
    s = state
    return {
        "problem": _labelled(PROBLEM_LABELS, s.param.problem.objects),
        "dataset": _labelled(DATASET_LABELS, s.param.dataset.objects),
        "reg_dataset": _labelled(DATASET_LABELS, s.param.reg_dataset.objects),
        "noise": _numbers(_steps(s.param.noise, 5), s.noise),
        "train_percent": _numbers(_steps(s.param.train_percent, 10), s.train_percent, "{} %"),
        "features": [(FEATURE_LABELS[f], f) for f in FEATURE_KEYS],
        "learning_rate": _numbers(LEARNING_RATES, s.learning_rate),
        "activation": _labelled(ACTIVATION_LABELS, s.param.activation.objects),
        "regularization": _labelled(REGULARIZATION_LABELS, s.param.regularization.objects),
        "reg_rate": _numbers(REG_RATES, s.reg_rate),
        "batch_size": _numbers(_steps(s.param.batch_size, 1), s.batch_size),
        "optimizer": _labelled(OPTIMIZER_LABELS, s.param.optimizer.objects),
    }


def settings(m: PlaygroundModel) -> Frame:
    state = m.state
    hidden = set(state.hidden_controls)
    menus = options(state)
    frame: Frame = {}
    for field, key in HIDE_KEYS.items():
        shown = key not in hidden
        if field == "dataset":
            shown = shown and state.problem == "classification"
        elif field == "reg_dataset":
            shown = shown and state.problem == "regression"
        elif field in OUTPUT_FLAGS:  # the output view's checkboxes: 2-D data only
            shown = shown and not m.loop.trainer.context.config.is_image_dataset
        frame[target(field)] = {"visible": shown}
        if field in FLAG_LABELS:
            label = FLAG_LABELS[field]
            frame[target(field)] |= {"options": [label],
                                     "value": [label] if getattr(state, field) else []}
        if field in menus:
            frame[target(field)]["options"] = menus[field]
    frame[FEATURES_CAPTION] = {"visible": "features" not in hidden}
    frame[REGENERATE] = {"visible": "dataset" not in hidden}
    return frame


PENDING = "…"  # what a menu shows until the link's own settings are painted


def placeholder() -> Frame:
    """The menus before the page's link is painted (the page was built for another link):
    none shows another link's choice."""
    menus = [f for f in options(State()) if f != "features"]
    frame: Frame = {target(f): {"options": [(PENDING, PENDING)], "value": PENDING}
                    for f in menus}
    for field in ("features", *OUTPUT_FLAGS):
        frame[target(field)] = {"value": []}
    return frame
