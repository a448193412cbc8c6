"""What the network view draws, computed from weights and activations with numpy alone.

Kept apart from the Bokeh figure so it can be tested without a browser: where each neuron sits,
which segment is which weight, how thick and what colour a weight's line is, and the heatmap
each neuron shows (its activation over the input plane, as TensorFlow Playground draws it).
"""

from __future__ import annotations

import numpy as np

# Orange for negative, white for zero, blue for positive: TensorFlow Playground's colours, and a
# pair that stays distinct under the common colour-vision deficiencies.
NEGATIVE = (245, 147, 34)
ZERO = (232, 234, 235)
POSITIVE = (8, 119, 189)


def diverging_palette(n: int = 255) -> list[str]:
    """n hex colours from NEGATIVE through ZERO to POSITIVE."""
    t = np.linspace(-1.0, 1.0, n)[:, None]
    neg, zero, pos = (np.array(c, dtype=float) for c in (NEGATIVE, ZERO, POSITIVE))
    rgb = np.where(t < 0, zero + (neg - zero) * -t, zero + (pos - zero) * t)
    return ["#{:02x}{:02x}{:02x}".format(*np.rint(c).astype(int)) for c in rgb]


PALETTE = diverging_palette()

LAYER_GAP = 3.0  # x distance between layer columns
ROW_GAP = 1.45  # y distance between neurons
THUMB = 1.0  # side of a neuron's heatmap square
MAX_WEIGHT_SHOWN = 3.0  # |w| at which a line reaches its full width
MIN_WIDTH, MAX_WIDTH = 0.6, 8.0  # line widths in screen pixels
MAX_ROWS = 16  # a taller layer (the 64 pixels of a digit) is squeezed into this height
LINE_ALPHA = 0.85  # the weights' lines (the step-through fades some further)


def row_gap(n: int) -> float:
    """Vertical distance between the neurons of a layer of n: tall layers are squeezed."""
    return ROW_GAP if n <= MAX_ROWS else ROW_GAP * (MAX_ROWS - 1) / (n - 1)


def thumb_size(n: int) -> float:
    """Side of the squares of a layer of n neurons."""
    return THUMB if n <= MAX_ROWS else 0.8 * row_gap(n)


def neuron_positions(sizes: list[int]) -> list[np.ndarray]:
    """Centre (x, y) of every neuron, one (n, 2) array per layer, inputs first."""
    positions = []
    for layer, n in enumerate(sizes):
        y = ((n - 1) / 2 - np.arange(n)) * row_gap(n)
        x = np.full(n, layer * LAYER_GAP)
        positions.append(np.column_stack([x, y]))
    return positions


def weight_segments(sizes: list[int]) -> dict[str, np.ndarray]:
    """One segment per weight W[l][i, j], in the order of `flatten(weights)`.

    Each runs from the right edge of neuron i in layer l to the left edge of neuron j in
    layer l + 1. `layer`, `src`, `dst` say which weight it is.
    """
    pos = neuron_positions(sizes)
    cols: dict[str, list[np.ndarray]] = {k: [] for k in ("x0", "y0", "x1", "y1", "layer", "src",
                                                          "dst")}
    for layer in range(len(sizes) - 1):
        n_in, n_out = sizes[layer], sizes[layer + 1]
        src, dst = np.meshgrid(np.arange(n_in), np.arange(n_out), indexing="ij")
        src, dst = src.ravel(), dst.ravel()  # row-major over (n_in, n_out), as W.ravel()
        cols["x0"].append(pos[layer][src, 0] + thumb_size(n_in) / 2)
        cols["y0"].append(pos[layer][src, 1])
        cols["x1"].append(pos[layer + 1][dst, 0] - thumb_size(n_out) / 2)
        cols["y1"].append(pos[layer + 1][dst, 1])
        cols["layer"].append(np.full(len(src), layer))
        cols["src"].append(src)
        cols["dst"].append(dst)
    return {k: (np.concatenate(v) if v else np.zeros(0)) for k, v in cols.items()}


def flatten(weights: list[np.ndarray]) -> np.ndarray:
    """All weight matrices as one vector, in segment order."""
    if not weights:
        return np.zeros(0)
    return np.concatenate([np.asarray(w, dtype=float).ravel() for w in weights])


def line_widths(w: np.ndarray) -> np.ndarray:
    """Thicker for larger |w|, linear up to MAX_WEIGHT_SHOWN, never invisible."""
    scale = np.clip(np.abs(w) / MAX_WEIGHT_SHOWN, 0.0, 1.0)
    return MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * scale


def colour_values(w: np.ndarray) -> np.ndarray:
    """Weights squashed into [-1, 1] for the shared colour map (sign kept, saturating)."""
    return np.tanh(np.asarray(w, dtype=float) / (MAX_WEIGHT_SHOWN / 2))


def line_columns(w: np.ndarray) -> dict[str, np.ndarray]:
    """The weight lines' columns for weights `w` (flattened, in segment order): the weight,
    its colour value, its width in pixels and its opacity."""
    return {"w": w, "c": colour_values(w), "lw": line_widths(w),
            "la": np.full(len(w), LINE_ALPHA)}


def bias_columns(b: np.ndarray) -> dict[str, np.ndarray]:
    """The bias squares' columns for biases `b` (flattened): the bias and its colour value."""
    return {"b": b, "c": colour_values(b)}


def grid(n: int, extent: float = 6.0) -> np.ndarray:
    """n*n points covering [-extent, extent]^2, row by row from the bottom (image order)."""
    axis = np.linspace(-extent, extent, n)
    xx, yy = np.meshgrid(axis, axis)
    return np.column_stack([xx.ravel(), yy.ravel()])


def heatmaps(values: np.ndarray, n: int, step: int = 1) -> list[np.ndarray]:
    """Per-neuron images from activations over a grid.

    values: activations of one layer over grid(n), shape (n*n, k). Returns k float32 images
    of shape (n // step, n // step), subsampled by `step` (coarser thumbnails, same forward).
    """
    values = np.asarray(values, dtype=np.float32)
    images = values.T.reshape(-1, n, n)[:, ::step, ::step]
    return [np.ascontiguousarray(img) for img in images]


def output_to_unit(values: np.ndarray, kind: str) -> np.ndarray:
    """Map an output activation onto [-1, 1] for colouring: tanh as is, probabilities 2p-1."""
    values = np.asarray(values, dtype=float)
    if kind in {"sigmoid", "softmax"}:
        return 2.0 * values - 1.0
    return np.clip(values, -1.0, 1.0)


def scale_columns(values: np.ndarray) -> np.ndarray:
    """Each column divided by its largest |value| (inputs such as x1 span -6..6; a thumbnail
    shows their shape on the [-1, 1] colour scale). All-zero columns stay zero."""
    values = np.asarray(values, dtype=float)
    top = np.abs(values).max(axis=0, initial=0.0)
    return values / np.where(top > 0, top, 1.0)


def gradient_lines(grads: list[np.ndarray], reached: int | None = None
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """How the backward phase draws the lines: (colour, widths, alpha), in segment order.

    Colour is the direction each weight is about to move (-gradient: blue up, orange down),
    width grows with |gradient| relative to the largest one. `reached`: how many layers,
    counted from the output, the backward pass has reached; the others are faint.
    """
    g = flatten(grads)
    top = float(np.abs(g).max(initial=0.0))
    scale = np.abs(g) / top if top > 0 else np.zeros_like(g)
    colour = -np.sign(g) * np.sqrt(scale)
    widths = MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * np.sqrt(scale)
    alpha = np.full(len(g), 0.9)
    if reached is not None:
        layer_of = np.concatenate([np.full(np.size(w), i) for i, w in enumerate(grads)])
        alpha = np.where(layer_of >= len(grads) - reached, 0.9, 0.08)
    return colour, widths, alpha


def view_ranges(sizes: list[int], aspect: float) -> tuple[tuple[float, float],
                                                           tuple[float, float]]:
    """x and y ranges that show the whole network, centred, with x span / y span = aspect (so
    a figure of that shape draws the neurons square)."""
    x0, x1 = -1.3, (len(sizes) - 1) * LAYER_GAP + 1.3
    rows = min(max(max(sizes), 5), MAX_ROWS)
    half = (rows - 1) / 2 * ROW_GAP + THUMB
    y0, y1 = -half, half + 0.2
    if (x1 - x0) / (y1 - y0) > aspect:  # wide network: more room above and below
        pad = ((x1 - x0) / aspect - (y1 - y0)) / 2
        y0, y1 = y0 - pad, y1 + pad
    else:  # tall or short network: more room left and right
        pad = ((y1 - y0) * aspect - (x1 - x0)) / 2
        x0, x1 = x0 - pad, x1 + pad
    return (x0, x1), (y0, y1)
