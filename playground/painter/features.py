"""Layers learn features: for the 8x8 digits, each first-layer neuron's weights as an image,
over the training digits that excite it most (targets `features.weights`, `features.examples`,
`features.labels`, `features.x_range`)."""

from __future__ import annotations

import numpy as np

from playground.model.playground import PlaygroundModel
from playground.painter import features_data as fd
from playground.painter.frame import Columns, Frame
from playground.painter.frames import drawable

WEIGHTS, EXAMPLES = "features.weights", "features.examples"
LABELS, X_RANGE = "features.labels", "features.x_range"
MAX_NEURONS = 16  # columns shown; a wider first layer shows its first 16 neurons
TOP_K = 3  # exciting training images per neuron
SIDE = 8  # digits are SIDE x SIDE pixels
CELL = 1.0  # side of one image in data units
STEP = 1.2  # distance between neighbouring images (CELL plus a small gap)
WEIGHT_GAP = 0.35  # extra space between a neuron's weight image and its examples
WEIGHT_Y = TOP_K * STEP + WEIGHT_GAP  # bottom edge of the weight images
LABEL_Y = WEIGHT_Y + CELL + 0.08  # baseline of the "neuron j" labels
Y_TOP = LABEL_Y + 0.55


def x_extent(n: int) -> tuple[float, float]:
    """x range that fits n columns (at least 4, so a narrow layer is not stretched huge)."""
    cols = max(n, 4)
    return -0.15, (cols - 1) * STEP + CELL + 0.15


def features(m: PlaygroundModel) -> Frame:
    """The first layer's features (nothing without a hidden layer)."""
    trainer = m.loop.trainer
    net = trainer.network
    if len(net.layers) < 2:
        return {}
    x = trainer.context.dataset.x_train
    trainer.predict(x)
    return draw(drawable(net.layers[0].W), drawable(net.activations[1]), x)


def draw(W1: np.ndarray, activations: np.ndarray, inputs: np.ndarray) -> Frame:
    """From first-layer weights (64, n), their activations (N, n) and the inputs (N, 64)."""
    W = np.asarray(W1, dtype=float)
    acts = np.asarray(activations, dtype=float)
    X = np.asarray(inputs, dtype=float)
    if W.ndim != 2 or W.shape[0] != SIDE * SIDE:
        raise ValueError(f"W1 must have shape ({SIDE * SIDE}, n_neurons), got {W.shape}")
    if acts.ndim != 2 or acts.shape[1] != W.shape[1]:
        raise ValueError(f"activations must have shape (N, {W.shape[1]}), got {acts.shape}")
    if X.ndim != 2 or X.shape != (acts.shape[0], SIDE * SIDE):
        raise ValueError(f"inputs must have shape ({acts.shape[0]}, {SIDE * SIDE}), got {X.shape}")
    n = min(W.shape[1], MAX_NEURONS)
    W, acts = W[:, :n], acts[:, :n]
    cols = np.arange(n)
    weights = {"image": fd.weight_images(W, SIDE), "x": cols * STEP, "y": np.full(n, WEIGHT_Y),
               "dw": np.full(n, CELL), "dh": np.full(n, CELL), "neuron": cols + 1}
    top = fd.top_inputs(acts, TOP_K)  # (n, k)
    k = top.shape[1]
    neuron = np.repeat(cols, k)
    rank = np.tile(np.arange(k), n)
    rows = top.ravel()
    examples = {"image": [fd.pixel_image(X[r], SIDE) for r in rows], "x": neuron * STEP,
                "y": (TOP_K - 1 - rank) * STEP, "dw": np.full(len(rows), CELL),
                "dh": np.full(len(rows), CELL), "neuron": neuron + 1, "row": rows}
    labels = {"x": cols * STEP + CELL / 2, "y": np.full(n, LABEL_Y),
              "label": [f"neuron {j + 1}" for j in range(n)]}
    start, end = x_extent(n)
    return {WEIGHTS: Columns("replace", weights), EXAMPLES: Columns("replace", examples),
            LABELS: Columns("replace", labels), X_RANGE: {"start": start, "end": end}}
