"""The network drawing: neurons as pictures of what they compute, weights as lines whose width
and colour show them, biases as small squares; during the step-through, the step's values.

Targets: `lines`, `thumbs` (the neurons' pictures), `biases`, `labels` (the inputs' and outputs'
names) and `values` (text on the neurons, shown during the step-through: `values_renderer`)
are data sources; `x_range`, `y_range` the view; `selection` the chosen line, `bias_selection`
the chosen bias square; `thumb_selection` a tapped neuron (cleared once the tap is taken);
`description` the drawing in words.
"""

from __future__ import annotations

import html

import numpy as np

from playground.model.playground import PlaygroundModel
from playground.painter import frames
from playground.painter import network_data as nd
from playground.painter.frame import Columns, Frame
from playground.painter.labels import FEATURE_LABELS

LINES, THUMBS = "network.lines", "network.thumbs"
BIASES, VALUES = "network.biases", "network.values"
LABELS, VALUES_RENDERER = "network.labels", "network.values_renderer"
X_RANGE, Y_RANGE = "network.x_range", "network.y_range"
SELECTION, THUMB_SELECTION = "network.selection", "network.thumb_selection"
BIAS_SELECTION = "network.bias_selection"
DESCRIPTION = "network.description"
THUMB_GRID = frames.GRID // frames.THUMB_STEP  # thumbnails are 16x16
ASPECT = 640 / 400  # the figure's width / height


def input_labels(m: PlaygroundModel) -> list[str]:
    config = m.loop.trainer.context.config
    n = m.loop.trainer.network.sizes[0]
    if config.is_image_dataset:
        return [f"pixel {i + 1}" for i in range(n)]
    return [FEATURE_LABELS.get(f, f) for f in config.features]


def neuron_labels(m: PlaygroundModel) -> list[list[str]]:
    """Every neuron's name, layer by layer, inputs first."""
    sizes = m.loop.trainer.network.sizes
    labels = [input_labels(m)]
    for layer, n in enumerate(sizes[1:-1], start=1):
        labels.append([f"neuron {k + 1} of layer {layer}" for k in range(n)])
    output = "output" if sizes[-1] == 1 else "class"
    labels.append([output] if sizes[-1] == 1 else [f"{output} {k}" for k in range(sizes[-1])])
    return labels


def bias_labels(m: PlaygroundModel) -> list[str]:
    """The neuron of every bias square, in the squares' order (hidden layers, then output)."""
    return [name for layer in neuron_labels(m)[1:] for name in layer]


def line_labels(m: PlaygroundModel) -> list[tuple[str, str]]:
    """(from, to) of every line, in the lines' order."""
    sizes = m.loop.trainer.network.sizes
    labels = neuron_labels(m)
    return [(labels[k][s], labels[k + 1][d]) for k in range(len(sizes) - 1)
            for s in range(sizes[k]) for d in range(sizes[k + 1])]


def topology(m: PlaygroundModel) -> Frame:
    """A new network: every source laid out again (the weights themselves follow in `live`)."""
    sizes = list(m.loop.trainer.network.sizes)
    segs = nd.weight_segments(sizes)
    ends = line_labels(m)
    n_lines = len(segs["x0"])
    segs["from_label"] = [a for a, _ in ends]
    segs["to_label"] = [b for _, b in ends]
    segs |= nd.line_columns(np.zeros(n_lines))
    pos = nd.neuron_positions(sizes)
    xy = np.concatenate(pos)
    side = np.concatenate([np.full(len(p), nd.thumb_size(len(p))) for p in pos])
    layer_of = np.concatenate([np.full(len(p), i) for i, p in enumerate(pos)])
    blank = np.zeros((THUMB_GRID, THUMB_GRID), dtype=np.float32)
    names = sum(neuron_labels(m), [])
    shown = [(layer_of[i] == 0 and sizes[0] <= nd.MAX_ROWS)
             or (layer_of[i] == len(sizes) - 1 and sizes[-1] <= 3) for i in range(len(xy))]
    thumbs = {"image": [blank] * len(xy), "x": xy[:, 0] - side / 2, "y": xy[:, 1] - side / 2,
              "cx": xy[:, 0], "cy": xy[:, 1], "dw": side, "dh": side,
              "layer": layer_of, "edge_alpha": np.ones(len(xy))}
    # The names above the inputs and the outputs: only those drawn (a text costs every repaint)
    named = np.flatnonzero(shown)
    labels = {"x": xy[named, 0], "y": xy[named, 1] + side[named] / 2 + 0.05,
              "text": [names[i] for i in named]}
    hidden = np.concatenate(pos[1:]) if len(pos) > 1 else np.zeros((0, 2))
    biases = {"x": hidden[:, 0] - nd.THUMB / 2, "y": hidden[:, 1] - nd.THUMB / 2,
              "b": np.zeros(len(hidden)), "c": np.zeros(len(hidden))}
    (x0, x1), (y0, y1) = nd.view_ranges(sizes, ASPECT)
    words = describe(sizes, input_labels(m))
    return {LINES: Columns("replace", segs), THUMBS: Columns("replace", thumbs),
            BIASES: Columns("replace", biases), LABELS: Columns("replace", labels),
            VALUES: Columns("replace", {"x": xy[:, 0], "y": xy[:, 1], "text": [""] * len(xy)}),
            X_RANGE: {"start": x0, "end": x1}, Y_RANGE: {"start": y0, "end": y1},
            DESCRIPTION: {"object": f'<p role="status" aria-live="polite">'
                                    f"{html.escape(words)}</p>"},
            THUMB_SELECTION: {"indices": []}}


def weights_frame(weights: list[np.ndarray], biases: list[np.ndarray]) -> Frame:
    """The lines and bias squares drawn for these weights and biases."""
    return {LINES: Columns("update", nd.line_columns(nd.flatten(weights))),
            BIASES: Columns("update", nd.bias_columns(nd.flatten(biases)))}


def live(m: PlaygroundModel) -> Frame:
    """The lines and biases: the trained network's, or the step-through's."""
    steps = m.steps
    if steps.active:
        return stepping(m)
    return weights_frame(*frames.drawable_parameters(m.loop.trainer.network))


def stepping(m: PlaygroundModel) -> Frame:
    """What the step-through's phase draws on the network."""
    steps, step = m.steps, m.steps.step
    assert step is not None
    if steps.phase == "Backward":
        colour, widths, alpha = nd.gradient_lines(step.dW, steps.backward_layers)
        before = weights_frame(step.weights_before, step.biases_before)
        return {LINES: Columns("update", {**before[LINES].data, "c": colour, "lw": widths,
                                          "la": alpha}),
                BIASES: before[BIASES], VALUES: values(m)}
    if steps.phase == "Update":
        t = steps.update_t
        w = [a + t * (b - a) for a, b in zip(step.weights_before, step.weights_after,
                                            strict=True)]
        b = [a + t * (c - a) for a, c in zip(step.biases_before, step.biases_after,
                                            strict=True)]
        if t >= 1.0:
            w, b = step.weights_after, step.biases_after  # exactly
        return weights_frame([frames.drawable(x) for x in w],
                             [frames.drawable(x) for x in b]) | {VALUES: values(m)}
    return weights_frame(step.weights_before, step.biases_before) | {VALUES: values(m)}


def values_shown(m: PlaygroundModel) -> Frame:
    """The step-through's values on the neurons are drawn only while it is on (a text glyph
    costs every repaint, even empty)."""
    return {VALUES_RENDERER: {"visible": m.steps.active}}


def values(m: PlaygroundModel) -> Columns:
    """The first point's value on the neurons of the layers the forward pass has reached."""
    steps = m.steps
    texts: list[str] = []
    if steps.active:
        for i, a in enumerate(steps.step.activations):
            texts += [f"{v:.2f}" if i < steps.forward_layers else "" for v in a[0]]
    else:
        texts = [""] * sum(m.loop.trainer.network.sizes)
    return Columns("update", {"text": texts})


def heatmaps(m: PlaygroundModel, images: list[np.ndarray]) -> Frame:
    return {THUMBS: Columns("update", {"image": images})}


def blank_heatmaps(m: PlaygroundModel) -> Frame:
    blank = np.zeros((THUMB_GRID, THUMB_GRID), dtype=np.float32)
    return heatmaps(m, [blank] * sum(m.loop.trainer.network.sizes))


def selection(m: PlaygroundModel) -> Frame:
    """The chosen line or bias square drawn selected (none: a tapped neuron is taken)."""
    index, lines = m.weights.index, len(line_labels(m))
    return {SELECTION: {"indices": [index] if 0 <= index < lines else []},
            BIAS_SELECTION: {"indices": [index - lines] if index >= lines else []},
            THUMB_SELECTION: {"indices": []}}


def placeholder() -> Frame:
    """Nothing drawn yet (the page's link is not the one the page was built for)."""
    return {LINES: Columns("replace", {k: np.zeros(0) for k in (
                "x0", "y0", "x1", "y1", "w", "c", "lw", "la", "layer", "src", "dst")}
                | {"from_label": [], "to_label": []}),
            THUMBS: Columns("replace", {"image": [], **{k: np.zeros(0) for k in (
                "x", "y", "cx", "cy", "dw", "dh", "layer", "edge_alpha")}}),
            LABELS: Columns("replace", {"x": np.zeros(0), "y": np.zeros(0), "text": []}),
            BIASES: Columns("replace", {k: np.zeros(0) for k in ("x", "y", "b", "c")}),
            VALUES: Columns("replace", {"x": np.zeros(0), "y": np.zeros(0), "text": []}),
            DESCRIPTION: {"object": ""}, SELECTION: {"indices": []},
            BIAS_SELECTION: {"indices": []}}


def describe(sizes: list[int], input_labels: list[str]) -> str:
    """The network drawing in words, e.g. "Network: 2 inputs (X₁, X₂), hidden layers of 4
    and 2 neurons, 1 output. ..."."""
    n_in, hidden, n_out = sizes[0], list(sizes[1:-1]), sizes[-1]
    named = f" ({', '.join(input_labels)})" if 0 < len(input_labels) <= 9 else ""
    inputs = f"{n_in} input{'s' if n_in != 1 else ''}{named}"
    if not hidden:
        layers = "no hidden layer"
    else:
        counts = [str(n) for n in hidden]
        listed = counts[0] if len(counts) == 1 else ", ".join(counts[:-1]) + " and " + counts[-1]
        plural = "neuron" if hidden == [1] else "neurons"
        layers = f"hidden layer{'s' if len(hidden) > 1 else ''} of {listed} {plural}"
    outputs = "1 output" if n_out == 1 else f"{n_out} outputs, one per class"
    return (f"Network: {inputs}, {layers}, {outputs}. In the drawing, each neuron shows what "
            "it computes over the input plane; blue lines are positive weights, orange "
            "negative, thicker for larger weights.")
