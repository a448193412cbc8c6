"""The buttons and the numbers above the views: Play/Pause, Step, Reset; the epoch and loss
readouts; what happened when training diverged, with the ways out; the network's shape.

After a divergence Play and Step are disabled and the status says what happened, with a Reset
button next to it and, when there is a smaller learning rate to offer, "Reset with learning
rate 0.03".
"""

from __future__ import annotations

import html

from playground.model.playground import PlaygroundModel
from playground.painter.frame import Frame
from playground.painter.frames import status_texts
from playground.state import MAX_HIDDEN_LAYERS, MAX_NEURONS

PLAY, STEP, RESET = "controls.play", "controls.step", "controls.reset"
BUTTON_KEYS = {PLAY: "playButton", STEP: "stepButton", RESET: "resetButton"}  # `_hide` keys
READOUTS = {"epoch": "status.epoch", "train": "status.train", "test": "status.test",
            "accuracy": "status.accuracy"}
MESSAGE, RECOVER, RECOVER_LOWER = "status.message", "status.recover", "status.recover_lower"
SHAPE_COUNT, ADD_LAYER, REMOVE_LAYER = "shape.count", "shape.add_layer", "shape.remove_layer"
SHAPE = "shape.panel"


def layer_targets(i: int) -> tuple[str, str, str]:
    """The label, − and + of the i-th hidden layer's neuron buttons."""
    return f"shape.layer{i}.label", f"shape.layer{i}.remove", f"shape.layer{i}.add"


def buttons(m: PlaygroundModel) -> Frame:
    loop, hidden = m.loop, set(m.state.hidden_controls)
    diverged = loop.diverged
    frame: Frame = {PLAY: {"name": "Pause" if loop.running else "Play", "disabled": diverged},
                    STEP: {"disabled": diverged}, RESET: {}}
    for target, key in BUTTON_KEYS.items():
        frame[target]["visible"] = key not in hidden
    return frame


def status(m: PlaygroundModel) -> Frame:
    loop = m.loop
    texts = status_texts(loop)
    frame: Frame = {target: {"object": texts[role]} for role, target in READOUTS.items()}
    frame[READOUTS["accuracy"]]["visible"] = bool(texts["accuracy"])
    message = loop.message
    frame[MESSAGE] = {"object": f"<p>{html.escape(message)}</p>" if message else "",
                      "visible": bool(message)}
    lower = loop.suggested_learning_rate
    frame[RECOVER] = {"visible": loop.diverged}
    frame[RECOVER_LOWER] = {"visible": loop.diverged and lower is not None}
    if lower is not None:
        frame[RECOVER_LOWER]["name"] = f"Reset with learning rate {lower:g}"
    return frame


def shape(m: PlaygroundModel) -> Frame:
    """`Hidden layers: 2  [−] [+]`, then per layer `Layer 1: 4 neurons  [−] [+]`."""
    hidden = list(m.state.hidden)
    frame: Frame = {SHAPE_COUNT: {"object": f"Hidden layers: {len(hidden)}"},
                    REMOVE_LAYER: {"disabled": not hidden},
                    ADD_LAYER: {"disabled": len(hidden) >= MAX_HIDDEN_LAYERS},
                    SHAPE: {"visible": "numHiddenLayers" not in m.state.hidden_controls}}
    for i in range(MAX_HIDDEN_LAYERS):
        label, minus, plus = layer_targets(i)
        shown = i < len(hidden)
        n = hidden[i] if shown else 0
        frame[label] = {"visible": shown,
                        "object": f"Layer {i + 1}: {n} neuron{'s' if n != 1 else ''}"
                        if shown else ""}
        frame[minus] = {"visible": shown, "disabled": n <= 1}
        frame[plus] = {"visible": shown, "disabled": n >= MAX_NEURONS}
    return frame


def placeholder() -> Frame:
    frame: Frame = {target: {"object": text} for target, text in (
        (READOUTS["epoch"], "Epoch –"), (READOUTS["train"], "Train loss –"),
        (READOUTS["test"], "Test loss –"), (READOUTS["accuracy"], ""),
        (SHAPE_COUNT, "Hidden layers: –"))}
    for i in range(MAX_HIDDEN_LAYERS):
        frame[layer_targets(i)[0]] = {"object": ""}  # not the default link's sizes
    return frame
