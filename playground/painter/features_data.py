"""What the features view draws for the 8x8 digits: weight images and top-exciting inputs."""

from __future__ import annotations

import numpy as np


def weight_images(W1: np.ndarray, side: int = 8) -> list[np.ndarray]:
    """One (side, side) float32 image per first-layer neuron, scaled to [-1, 1].

    W1 is (side * side, n_neurons), pixels in row-major order with row 0 the top row. Each column
    is divided by its own max |w| (an all-zero column stays zero) and flipped vertically, since
    Bokeh's `image` glyph draws row 0 at the bottom.
    """
    W = np.asarray(W1, dtype=float)
    if W.ndim != 2 or W.shape[0] != side * side:
        raise ValueError(f"W1 must have shape ({side * side}, n_neurons), got {W.shape}")
    peak = np.abs(W).max(axis=0, initial=0.0)
    scale = np.where(peak > 0, peak, 1.0)
    scaled = W / scale
    return [np.flipud(scaled[:, j].reshape(side, side)).astype(np.float32)
            for j in range(W.shape[1])]


def top_inputs(activations: np.ndarray, k: int = 3) -> np.ndarray:
    """(n_neurons, min(k, N)) int rows of the k largest activations per neuron, largest first."""
    A = np.asarray(activations, dtype=float)
    if A.ndim != 2:
        raise ValueError(f"activations must have shape (N, n_neurons), got {A.shape}")
    k = max(0, min(k, A.shape[0]))
    # stable sort on -A: ties keep the lower row index first
    order = np.argsort(-A, axis=0, kind="stable")[:k]
    return np.ascontiguousarray(order.T).astype(int)


def pixel_image(row: np.ndarray, side: int = 8) -> np.ndarray:
    """One input row of side * side pixels in [0, 1] as a (side, side) float32 greyscale image.

    Flipped vertically like `weight_images`, so it shows upright in Bokeh.
    """
    r = np.asarray(row, dtype=float)
    if r.size != side * side:
        raise ValueError(f"row must have {side * side} pixels, got {r.size}")
    return np.flipud(np.clip(r.reshape(side, side), 0.0, 1.0)).astype(np.float32)
