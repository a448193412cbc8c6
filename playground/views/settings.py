"""The settings panel: data, features, training hyper-parameters, with visible labels."""

from __future__ import annotations

import secrets

import panel as pn
import param

from playground.state import FEATURE_KEYS, LEARNING_RATES, REG_RATES, State

FEATURE_LABELS = {"x1": "X₁", "x2": "X₂", "x1sq": "X₁²", "x2sq": "X₂²", "x1x2": "X₁X₂",
                  "sin_x1": "sin(X₁)", "sin_x2": "sin(X₂)", "cos_x1": "cos(X₁)",
                  "cos_x2": "cos(X₂)"}
DATASET_LABELS = {"circle": "Circle", "xor": "Exclusive or", "gauss": "Gaussian",
                  "spiral": "Spiral", "moons": "Moons", "checkerboard": "Checkerboard",
                  "spiral3": "Spiral, 3 classes", "digits": "Digits (8x8 images)",
                  "plane": "Plane", "multigauss": "Multi-Gaussian"}
ACTIVATION_LABELS = {"tanh": "Tanh", "relu": "ReLU", "sigmoid": "Sigmoid", "linear": "Linear",
                     "leaky_relu": "Leaky ReLU", "elu": "ELU", "softplus": "Softplus",
                     "gelu": "GELU"}
# Every select at least 44 px tall: a finger, not a mouse pointer.
WIDGET = {"sizing_mode": "stretch_width", "margin": (2, 8),
          "stylesheets": ["select.bk-input { min-height: 44px; }"]}
# The nine features as labelled checkboxes (their state is read out, unlike toggle buttons'),
# wrapping onto several rows in a narrow panel; each label is a 44 px tall target.
FEATURE_BOXES = (".bk-input-group { display: flex; flex-flow: row wrap; column-gap: 12px; }"
                 " label { display: inline-flex; align-items: center; gap: 5px;"
                 " min-height: 44px; min-width: 44px; cursor: pointer; }"
                 " input[type=checkbox] { width: 18px; height: 18px; margin: 0; }")
# The features' visible caption, as the selects have theirs.
CAPTION = ":host { font-size: 12px; margin-bottom: 0; }"


def _options(labels: dict[str, str], names) -> dict[str, str]:
    return {labels.get(n, n): n for n in names}


def _closest(values, current: int) -> list[int]:
    """A menu of values that also holds the current one (a link may set any value)."""
    return sorted(set(values) | {current})


def _number_options(values, current: float) -> dict[str, float]:
    values = sorted(set(values) | {current})
    return {f"{v:g}": v for v in values}


class SettingsPanel(pn.viewable.Viewer):
    """Every control of the State, labelled; hidden controls (from a lesson link) left out."""

    state = param.ClassSelector(class_=State)

    def __init__(self, **params) -> None:
        super().__init__(**params)
        s = self.state
        self.problem = pn.widgets.Select(name="Problem type", value=s.problem,
                                         options={"Classification": "classification",
                                                  "Regression": "regression"}, **WIDGET)
        self.dataset = pn.widgets.Select(name="Dataset", **WIDGET)
        self.learning_rate = pn.widgets.Select(name="Learning rate", **WIDGET)
        self.activation = pn.widgets.Select(
            name="Activation", value=s.activation,
            options=_options(ACTIVATION_LABELS, s.param.activation.objects), **WIDGET)
        self.regularization = pn.widgets.Select(
            name="Regularization", value=s.regularization,
            options={"None": "none", "L1": "l1", "L2": "l2"}, **WIDGET)
        self.reg_rate = pn.widgets.Select(name="Regularization rate", **WIDGET)
        # Selects rather than sliders: labelled for screen readers, easy to hit on a tablet.
        self.batch_size = pn.widgets.Select(name="Batch size", value=s.batch_size,
                                            options=list(range(1, 31)), **WIDGET)
        self.noise = pn.widgets.Select(name="Noise", value=s.noise,
                                       options=_closest(range(0, 55, 5), s.noise), **WIDGET)
        self.ratio = pn.widgets.Select(name="Ratio of training to test data",
                                       value=s.train_percent,
                                       options={f"{v} %": v for v in
                                                _closest(range(10, 100, 10), s.train_percent)},
                                       **WIDGET)
        self.optimizer = pn.widgets.Select(name="Optimizer", value=s.optimizer,
                                           options={"SGD": "sgd", "Momentum": "momentum",
                                                    "Adam": "adam"}, **WIDGET)
        self.features = pn.widgets.CheckBoxGroup(
            name="Features", value=list(s.features), inline=True,
            options={FEATURE_LABELS[f]: f for f in FEATURE_KEYS}, sizing_mode="stretch_width",
            margin=(0, 8, 2, 8), stylesheets=[FEATURE_BOXES])
        self._features_caption = pn.pane.HTML("Features (the network's inputs)",
                                              margin=(4, 8, 0, 8), stylesheets=[CAPTION])
        self.regenerate = pn.widgets.Button(name="Regenerate", height=44, **WIDGET)
        self._sync_from_state()
        for widget, attr in ((self.problem, "problem"), (self.activation, "activation"),
                             (self.regularization, "regularization"),
                             (self.batch_size, "batch_size"), (self.noise, "noise"),
                             (self.ratio, "train_percent"), (self.optimizer, "optimizer"),
                             (self.learning_rate, "learning_rate"), (self.reg_rate, "reg_rate")):
            widget.param.watch(lambda e, a=attr: setattr(self.state, a, e.new), "value")
        self.dataset.param.watch(self._set_dataset, "value")
        self.features.param.watch(self._set_features, "value")
        self.regenerate.on_click(lambda _: setattr(self.state, "seed", secrets.token_hex(3)))
        s.param.watch(lambda *_: self._sync_from_state(), list(s.param)[1:])  # one call a batch

    def _set_dataset(self, event: param.parameterized.Event) -> None:
        attr = "reg_dataset" if self.state.problem == "regression" else "dataset"
        if event.new is not None:
            setattr(self.state, attr, event.new)

    def _set_features(self, event: param.parameterized.Event) -> None:
        if event.new:
            self.state.features = [f for f in FEATURE_KEYS if f in event.new]
        else:
            self.features.value = list(self.state.features)  # at least one input stays on

    def _sync_from_state(self) -> None:
        s = self.state
        datasets = (s.param.reg_dataset if s.problem == "regression" else s.param.dataset).objects
        self.dataset.param.update(options=_options(DATASET_LABELS, datasets),
                                  value=s.active_dataset())
        self.learning_rate.param.update(options=_number_options(LEARNING_RATES, s.learning_rate),
                                        value=s.learning_rate)
        self.reg_rate.param.update(options=_number_options(REG_RATES, s.reg_rate),
                                   value=s.reg_rate)
        self.noise.options = _closest(range(0, 55, 5), s.noise)
        self.ratio.options = {f"{v} %": v for v in _closest(range(10, 100, 10), s.train_percent)}
        self.batch_size.options = _closest(range(1, 31), s.batch_size)
        for widget, value in ((self.problem, s.problem), (self.activation, s.activation),
                              (self.regularization, s.regularization),
                              (self.batch_size, s.batch_size), (self.noise, s.noise),
                              (self.ratio, s.train_percent), (self.optimizer, s.optimizer),
                              (self.features, list(s.features))):
            if widget.value != value:
                widget.value = value

    def controls(self) -> dict[str, pn.viewable.Viewable]:
        """Each control under its URL `_hide` key."""
        return {"problem": self.problem, "dataset": self.dataset, "noise": self.noise,
                "percTrainData": self.ratio,
                "features": pn.Column(self._features_caption, self.features, margin=0,
                                      sizing_mode="stretch_width"),
                "learningRate": self.learning_rate, "activation": self.activation,
                "regularization": self.regularization,
                "regularizationRate": self.reg_rate, "batchSize": self.batch_size,
                "optimizer": self.optimizer, "regenerate": self.regenerate}

    def __panel__(self) -> pn.viewable.Viewable:
        shown = {k: v for k, v in self.controls().items()
                 if k not in self.state.hidden_controls
                 and not (k == "regenerate" and "dataset" in self.state.hidden_controls)}
        return pn.Column(*shown.values(), sizing_mode="stretch_width")
