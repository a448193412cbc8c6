"""Play/Pause, Step and Reset; the epoch and loss readouts with what happened when training
diverged; the buttons that change the network's shape. What they say is painted
(playground.painter.controls); every widget exists from the start and only the leaves'
`visible` changes (a layout hidden when the page is drawn would never show in the browser)."""

from __future__ import annotations

import panel as pn

from playground.model.playground import PlaygroundModel
from playground.painter import controls as painted
from playground.state import MAX_HIDDEN_LAYERS
from playground.views.host import Registry

BUTTON = {"height": 44, "margin": (2, 2)}
WRAP = {"flex-wrap": "wrap"}
LABEL = ":host { white-space: nowrap; min-width: 8em; }"


class TrainingControls(pn.viewable.Viewer):
    """The buttons that drive the train loop: feed, forward, compare, backprop, repeat."""

    def __init__(self, model: PlaygroundModel, registry: Registry, **params) -> None:
        super().__init__(**params)
        p = model.param
        self.play = registry.event(painted.PLAY, p.play, name="Play", button_type="primary",
                                   width=96, height=44)
        self.step = registry.event(painted.STEP, p.step, name="Step", width=80, height=44)
        self.reset = registry.event(painted.RESET, p.reset, name="Reset", width=80, height=44)

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Row(self.reset, self.play, self.step, margin=(0, 0))


class TrainingStatus(pn.viewable.Viewer):
    """`Epoch N`, `Train loss 0.123`, `Test loss 0.145`: the numbers the article talks about;
    after a divergence, what happened and the ways out."""

    def __init__(self, model: PlaygroundModel, registry: Registry, **params) -> None:
        super().__init__(**params)
        self.readouts = {role: registry.add(target, pn.pane.Str(
            "", css_classes=[f"pg-{css}"], margin=(4, 10))) for (role, target), css in zip(
            painted.READOUTS.items(), ("epoch", "train-loss", "test-loss", "accuracy"),
            strict=True)}
        self.message = registry.add(painted.MESSAGE, pn.pane.HTML(
            "", visible=False, css_classes=["pg-diverged"], margin=(4, 10),
            stylesheets=[DIVERGED_CSS]))
        self.recover = registry.event(painted.RECOVER, model.param.recover, name="Reset",
                                      button_type="warning", height=44, width=80,
                                      visible=False, margin=(4, 6))
        self.recover_lower = registry.event(
            painted.RECOVER_LOWER, model.param.recover_lower,
            name="Reset with a smaller learning rate", width=250, button_type="primary",
            height=44, visible=False, margin=(4, 6))

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(pn.Row(*self.readouts.values(), styles=WRAP),
                         pn.Row(self.message, self.recover, self.recover_lower,
                                styles={"flex-wrap": "wrap", "align-items": "center"}, margin=0))


DIVERGED_CSS = """:host(.pg-diverged) { background: #fff3cd; color: #664d03;
  border: 1px solid #ffe69c; border-radius: 6px; padding: 0 12px; }"""


class NetworkControls(pn.viewable.Viewer):
    """`Hidden layers: 2  [−] [+]`, then per layer `Layer 1: 4 neurons  [−] [+]`.

    Each pair of buttons stands right after the label of what it changes (Panel 1.7's buttons
    take no aria-label, so their text is their accessible name). Changing the shape starts a
    new experiment, as in TensorFlow Playground."""

    def __init__(self, model: PlaygroundModel, registry: Registry, **params) -> None:
        super().__init__(**params)
        count = registry.add(painted.SHAPE_COUNT, pn.pane.HTML(
            "", margin=(12, 4, 0, 8), stylesheets=[LABEL]))
        remove = registry.event(painted.REMOVE_LAYER, model.param.remove_layer, name="− layer",
                                width=9 * 7 + 28, **BUTTON)
        add = registry.event(painted.ADD_LAYER, model.param.add_layer, name="+ layer",
                             width=9 * 7 + 28, **BUTTON)
        rows = []
        for i in range(MAX_HIDDEN_LAYERS):
            label_t, minus_t, plus_t = painted.layer_targets(i)
            buttons = model.layers[i].param
            label = registry.add(label_t, pn.pane.HTML("", margin=(12, 4, 0, 16),
                                                       stylesheets=[LABEL]))
            minus = registry.event(minus_t, buttons.remove, name="− neuron", width=9 * 8 + 28,
                                   **BUTTON)
            plus = registry.event(plus_t, buttons.add, name="+ neuron", width=9 * 8 + 28,
                                  **BUTTON)
            # A layer's label and buttons wrap as one (on a phone the buttons go under it).
            rows.append(pn.Row(label, minus, plus, margin=0, styles=WRAP))
        self._layout = registry.add(painted.SHAPE, pn.FlexBox(
            pn.Row(count, remove, add, margin=0, styles=WRAP), *rows, flex_wrap="wrap",
            sizing_mode="stretch_width", margin=0))

    def __panel__(self) -> pn.viewable.Viewable:
        return self._layout
