"""Which weight or bias the learner has chosen (tapped in the drawing or picked from a list)
and its value, which they may type over.

Weights are numbered as the drawing numbers its lines: layer by layer, and within a layer row
by row of W (the weight from input i to neuron j of a layer of n_out neurons is i * n_out + j),
the order of `np.concatenate([W.ravel() for W in weights])`; the biases follow, layer by layer
(n_weights + k is the k-th bias square of the drawing).
"""

from __future__ import annotations

import param

from playground.model.session import MAX_TYPED_WEIGHT, Session

NONE = -1  # `index` when no weight is chosen
DIGITS = 4  # the value is shown (and compared) rounded to this many decimals


def weight_at(sizes: list[int] | tuple[int, ...], index: int
              ) -> tuple[int, int | None, int] | None:
    """(layer, src, dst) of the index-th weight of a network of these layer sizes (inputs
    first), (layer, None, dst) of a bias (indices after the weights'), or None if there is
    no such parameter."""
    if index < 0:
        return None
    pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
    for layer, (n_in, n_out) in enumerate(pairs):
        if index < n_in * n_out:
            return layer, index // n_out, index % n_out
        index -= n_in * n_out
    for layer, (_, n_out) in enumerate(pairs):
        if index < n_out:
            return layer, None, index
        index -= n_out
    return None


def n_weights(sizes: list[int] | tuple[int, ...]) -> int:
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))


class WeightChoice(param.Parameterized):
    """The chosen weight or bias (`index`, NONE for none) and its value (None when none is
    chosen).

    Choosing a weight shows its value and changes nothing; a new value the learner types sets
    that weight (Session.set_weight: training pauses, the loss and the views follow). A new
    experiment or Reset clears the choice."""

    session = param.ClassSelector(class_=Session)
    index = param.Integer(default=NONE, label="Choose a weight to edit")
    value = param.Number(default=None, allow_None=True, label="Weight",
                         bounds=(-MAX_TYPED_WEIGHT, MAX_TYPED_WEIGHT))

    def __init__(self, **params) -> None:
        super().__init__(**params)
        self.session.param.watch(lambda _: self.clear(), "topology")
        self.session.loop.param.watch(lambda _: self.clear(), "resets")

    @property
    def chosen(self) -> tuple[int, int | None, int] | None:
        """(layer, src, dst) of the chosen weight, (layer, None, dst) of a bias, or None."""
        return weight_at(self.session.loop.trainer.network.sizes, self.index)

    def choose_bias(self, k: int) -> None:
        """The k-th bias square of the drawing was tapped."""
        self.index = n_weights(self.session.loop.trainer.network.sizes) + k

    def clear(self) -> None:
        self.index = NONE

    def current(self) -> float | None:
        """The chosen weight's value now, rounded as shown; None when none is chosen."""
        chosen = self.chosen
        return None if chosen is None else round(self.session.weight(*chosen), DIGITS)

    @param.depends("index", watch=True)
    def _show(self) -> None:
        if self.chosen is None and self.index != NONE:
            self.index = NONE  # a line of a network that is no more
            return
        self.value = self.current()

    @param.depends("value", watch=True)
    def _set(self) -> None:
        chosen, value = self.chosen, self.value
        if chosen is None or value is None or value == self.current():
            return  # nothing chosen, or the value shown: nothing to change
        if not self.session.set_weight(*chosen, float(value)):
            self.value = self.current()
