"""A stack of Dense layers: forward, backward, and its parameters as flat lists."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from playground.engine.activations import Activation
from playground.engine.initializers import get_initializer
from playground.engine.layers import Dense


class Network:
    """sizes = [n_inputs, *hidden, n_outputs], e.g. [2, 4, 2, 1] (TF Playground's default).

    `activation` is the hidden layers' activation: one name for all, or one per hidden layer.
    The rest is keyword-only: `output_activation`, `init` (an initializer's name), `rng`.
    After a forward, `activations` holds every layer's output, inputs first, so a view can draw
    what each neuron computes over a grid of points.
    """

    def __init__(self, sizes: Sequence[int], activation: str | Sequence[str] = "tanh", *,
                 output_activation: str | Activation = "tanh", init: str = "tfp",
                 rng: np.random.Generator | None = None) -> None:
        sizes = [int(s) for s in sizes]
        check_sizes(sizes)
        n_hidden = len(sizes) - 2
        if isinstance(activation, str | Activation):
            hidden_acts = [activation] * n_hidden
        else:
            hidden_acts = list(activation)
            if len(hidden_acts) != n_hidden:
                raise ValueError(f"got {len(hidden_acts)} activations for {n_hidden} hidden "
                                 "layers")
        initializer = get_initializer(init)
        rng = rng if rng is not None else np.random.default_rng()
        self.sizes = sizes
        self.layers: list[Dense] = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
            output = i == len(sizes) - 2
            layer = Dense(n_in, n_out, output_activation if output else hidden_acts[i],
                          output=output)
            layer.W, layer.b = initializer(n_in, n_out, rng)
            self.layers.append(layer)
        self._reversed = self.layers[::-1]
        self._params = [p for layer in self.layers for p in (layer.W, layer.b)]
        self._grads = [g for layer in self.layers for g in (layer.dW, layer.db)]

    # forward / backward ----------------------------------------------------------------------
    def forward(self, x: np.ndarray) -> np.ndarray:
        """x: (N, n_inputs) -> output (N, n_outputs)."""
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dout: np.ndarray, wrt_z: bool = False) -> None:
        """Backpropagate dL/d(output) (N, n_outputs) through every layer, filling each dW, db.

        wrt_z: `dout` is already dL/dz of the output layer (a fused loss: sigmoid or softmax
        with cross-entropy), so the output activation's derivative is skipped.
        """
        layers = self._reversed
        last = len(layers) - 1
        d = layers[0].backward_z(dout, last > 0) if wrt_z else layers[0].backward(dout, last > 0)
        for i in range(1, last + 1):
            d = layers[i].backward(d, i < last)

    # what views and optimizers read ----------------------------------------------------------
    @property
    def activations(self) -> list[np.ndarray]:
        """Outputs of the last forward, per layer, inputs first: [x, a1, ..., output]."""
        if self.layers[0].x is None:
            raise RuntimeError("no forward pass yet")
        return [self.layers[0].x] + [layer.a for layer in self.layers]

    @property
    def logits(self) -> np.ndarray:
        """The output layer's z (N, n_outputs) of the last forward, before its activation: what
        a fused loss computes its exact value from."""
        if self.layers[-1].z is None:
            raise RuntimeError("no forward pass yet")
        return self.layers[-1].z

    @property
    def weights(self) -> list[np.ndarray]:
        """The live weight matrices W (n_in, n_out), first layer first (not copies)."""
        return [layer.W for layer in self.layers]

    @property
    def biases(self) -> list[np.ndarray]:
        """The live bias vectors b (n_out,), first layer first (not copies)."""
        return [layer.b for layer in self.layers]

    def params(self) -> list[np.ndarray]:
        """[W1, b1, W2, b2, ...]: the arrays an optimizer updates in place."""
        return self._params

    def grads(self) -> list[np.ndarray]:
        """[dW1, db1, ...] of the last backward, matching `params()` (reused arrays)."""
        return self._grads

    @property
    def n_params(self) -> int:
        return sum(p.size for p in self._params)

    @property
    def activation_names(self) -> list[str]:
        """Each layer's activation name, first hidden layer first, output last."""
        return [layer.act.name for layer in self.layers]

    def get_weights(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Copies of (weights, biases)."""
        return [w.copy() for w in self.weights], [b.copy() for b in self.biases]

    def set_weights(self, weights: Sequence, biases: Sequence) -> None:
        """Copy weights and biases in (each array-like); ValueError unless every shape fits."""
        if len(weights) != len(self.layers) or len(biases) != len(self.layers):
            raise ValueError(f"expected {len(self.layers)} weight matrices and bias vectors, got "
                             f"{len(weights)} and {len(biases)}")
        new = []
        for i, (layer, w, b) in enumerate(zip(self.layers, weights, biases, strict=True)):
            try:
                w, b = np.array(w), np.array(b)  # numbers only: no text, no ints beyond a float
                if w.dtype.kind not in "iuf" or b.dtype.kind not in "iuf":
                    raise TypeError
                w, b = w.astype(float), b.astype(float)
            except (TypeError, ValueError, OverflowError, RecursionError):
                raise ValueError(f"layer {i + 1}: weights and biases must be numbers") from None
            if w.shape != layer.W.shape or b.shape != layer.b.shape:
                raise ValueError(f"layer {i + 1}: expected weights {layer.W.shape} and biases "
                                 f"{layer.b.shape}, got {w.shape} and {b.shape}")
            if not (np.isfinite(w).all() and np.isfinite(b).all()):
                raise ValueError(f"layer {i + 1}: weights and biases must be finite")
            new.append((w, b))
        for layer, (w, b) in zip(self.layers, new, strict=True):
            layer.W[...] = w  # in place: params() stays valid
            layer.b[...] = b

    def __repr__(self) -> str:
        return f"Network({self.sizes}, {self.activation_names})"


def check_sizes(sizes: Sequence[int]) -> None:
    """ValueError unless sizes is [n_in >= 1, hidden sizes >= 1, n_out >= 1]. (How large a
    network a setup may ask for is the configuration's: playground.experiment's limits.)"""
    if len(sizes) < 2:
        raise ValueError("a network needs at least an input and an output size")
    if sizes[0] < 1 or sizes[-1] < 1:
        raise ValueError("a network needs at least one input and one output")
    for n in sizes[1:-1]:
        if n < 1:
            raise ValueError(f"a hidden layer has at least 1 neuron, got {n}")
