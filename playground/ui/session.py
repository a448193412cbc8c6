"""One learner's session: the State they edit and the TrainingLoop it drives.

As in TensorFlow Playground, changing the learning rate keeps training (so do the batch size
and the regularization rate, which the engine can change between steps); changing the data or
the network builds a new experiment at epoch 0. Display toggles change nothing here.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import param

from playground.state import MAX_HIDDEN_LAYERS, MAX_NEURONS, State
from playground.ui.training import TrainingLoop

LIVE = frozenset({"learning_rate", "batch_size", "reg_rate"})
DISPLAY = frozenset({"show_test_data", "discretize", "hide_text", "hidden_controls", "name"})
NEW_LAYER_SIZE = 2  # TensorFlow Playground's
MAX_TYPED_WEIGHT = 100.0  # a typed weight beyond this only overflows the views


class Session(param.Parameterized):
    """The State and the TrainingLoop kept in step; `topology` counts rebuilt experiments."""

    state = param.ClassSelector(class_=State)
    loop = param.ClassSelector(class_=TrainingLoop)
    topology = param.Integer(default=0, doc="Bumped whenever a new experiment is built.")
    notice = param.String(default="", doc="Why the last change was not applied, if it was not.")

    def __init__(self, state: State | None = None, ready: Callable[[], bool] | None = None,
                 **params) -> None:
        state = state if state is not None else State()
        super().__init__(state=state, loop=TrainingLoop(config=state.to_config(), ready=ready),
                         **params)
        state.param.watch(self._on_state, [p for p in state.param if p != "name"])

    # state -> experiment ----------------------------------------------------------------------
    def _on_state(self, *events: param.parameterized.Event) -> None:
        changed = {e.name for e in events} - DISPLAY
        if not changed:
            return
        try:
            config = self.state.to_config()
        except ValueError as exc:
            self.notice = f"That setting cannot be used: {exc}"
            return
        self.notice = ""
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
        self.loop.reset(config if config is not None else self.state.to_config())
        self.topology += 1

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
    def weight(self, layer: int, src: int, dst: int) -> float:
        return float(self.loop.trainer.network.layers[layer].W[src, dst])

    def set_weight(self, layer: int, src: int, dst: int, value: float) -> bool:
        """Set one weight (the learner typed it) and show what it does to the loss and the
        output; False, and nothing changed, unless |value| <= MAX_TYPED_WEIGHT."""
        if not (np.isfinite(value) and abs(value) <= MAX_TYPED_WEIGHT):
            return False
        self.loop.pause()
        trainer = self.loop.trainer
        trainer.network.layers[layer].W[src, dst] = float(value)
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
