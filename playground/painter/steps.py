"""The step-through's words and numbers: which phase is shown, what it means, and its table
(HTML built from numbers and our own labels only, every number's exact value in its title)."""

from __future__ import annotations

import html

import numpy as np

from playground.engine.trainer import Step
from playground.model.playground import PlaygroundModel
from playground.model.steps import PHASES
from playground.painter import network_data as nd
from playground.painter.frame import Frame
from playground.painter.network import line_labels

PHASES_TEXT, EXPLAIN, DETAIL = "steps.phases", "steps.explain", "steps.detail"
NEXT, LEAVE = "steps.next", "steps.leave"
MAX_ROWS = 30  # rows of the Update table (the largest changes, if there are more weights)

EXPLAIN_TEXT = {
    "": "Press <strong>Next phase</strong> to take one minibatch through one training step, "
        "a phase at a time: feed, forward, compare, backpropagate, update. Training pauses "
        "meanwhile.",
    "Forward": "<strong>Forward pass.</strong> The minibatch's points enter the input layer. "
               "Each neuron multiplies its inputs by its weights, adds its bias and applies the "
               "activation function; the results move on to the next layer, until the output "
               "makes a prediction. The numbers on the neurons are the first point's values.",
    "Loss": "<strong>Compare with the correct answer.</strong> The prediction is compared with "
            "each point's label. The loss is a number showing how wrong the network is: here "
            "the mean of the points' errors. Learning means making this number smaller.",
    "Backward": "<strong>Backpropagation.</strong> The error travels backward from the output, "
                "through the hidden layers, to the inputs. Each line now shows its gradient: "
                "how much the loss would change if that weight changed. Thick lines mattered "
                "most to the error; blue ones are about to grow, orange ones to shrink.",
    "Update": "<strong>Update.</strong> Every weight takes a small step against its gradient: "
              "new weight = old weight − learning rate × gradient. The lines move to their new "
              "thickness. Repeat this thousands of times and the network learns.",
}


def steps(m: PlaygroundModel) -> Frame:
    phase, step = m.steps.phase, m.steps.step
    marks = [f"<strong>▶ {p}</strong>" if p == phase else p for p in PHASES]
    detail = ""
    if phase and step is not None:
        if phase == "Forward":
            detail = forward_table(step)
        elif phase == "Loss":
            detail = loss_table(step)
        elif phase == "Backward":
            detail = backward_text(step)
        else:
            detail = update_table(step, line_labels(m))
    return {PHASES_TEXT: {"object": "<p>Training step: " + " → ".join(marks) + "</p>"},
            EXPLAIN: {"object": f"<p>{EXPLAIN_TEXT[phase]}</p>"},
            DETAIL: {"object": detail}, LEAVE: {"visible": bool(phase)}}


def _cell(value: float, digits: int = 4) -> str:
    """A number shown rounded, with its exact value in the title (readable by tests and on
    hover)."""
    return f'<td title="{float(value)!r}">{value:.{digits}f}</td>'


def _table(head: list[str], rows: list[str], caption: str = "") -> str:
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    ths = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    return (f'<table class="pg-table">{cap}<thead><tr>{ths}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def forward_table(step: Step, limit: int = 5) -> str:
    n_in = step.x.shape[1]
    head = ["point", *[f"input {j + 1}" for j in range(min(n_in, 4))], "prediction"]
    rows = []
    for i in range(min(limit, len(step.x))):
        cells = "".join(_cell(v, 2) for v in step.x[i, :4])
        rows.append(f"<tr><td>{i + 1}</td>{cells}{_cell(step.output[i, 0], 3)}</tr>")
    return _table(head, rows, f"The minibatch: {len(step.x)} points (first {len(rows)} shown)")


def loss_table(step: Step, limit: int = 10) -> str:
    rows = []
    for i in range(min(limit, len(step.x))):
        pred = step.output[i]
        target = step.targets[i]
        shown_pred = pred.argmax() if len(pred) > 1 else pred[0]
        shown_target = target.argmax() if len(target) > 1 else target[0]
        rows.append(f"<tr><td>{i + 1}</td>{_cell(shown_pred, 3)}{_cell(shown_target, 0)}"
                    f"{_cell(step.loss_per_sample[i], 4)}</tr>")
    caption = f"Loss over the minibatch (mean of the errors): {step.loss:.4f}"
    return _table(["point", "prediction", "answer", "error"], rows, caption)


def backward_text(step: Step) -> str:
    norms = [float(np.abs(g).max()) for g in step.dW]
    parts = [f"layer {i + 1}: {n:.4f}" for i, n in enumerate(norms)]
    return ("<p>Largest gradient per layer of weights (output last): "
            f"{html.escape(', '.join(parts))}</p>")


def update_table(step: Step, labels: list[tuple[str, str]]) -> str:
    """Each weight: before, gradient, after (the largest changes if there are many)."""
    before = nd.flatten(step.weights_before)
    grad = nd.flatten(step.dW)
    after = nd.flatten(step.weights_after)
    order = np.arange(len(before))
    if len(order) > MAX_ROWS:
        order = np.argsort(-np.abs(after - before), kind="stable")[:MAX_ROWS]
    rows = []
    for k in order:
        src, dst = labels[k] if k < len(labels) else ("?", "?")
        rows.append(f'<tr class="pg-weight"><td>{html.escape(src)} → {html.escape(dst)}</td>'
                    f"{_cell(before[k])}{_cell(grad[k])}{_cell(after[k])}</tr>")
    caption = (f"new weight = old weight − {step.lr:g} × gradient "
               f"({len(rows)} of {len(before)} weights shown; biases move the same way)")
    return (f'<div class="pg-update" data-lr="{step.lr!r}">'
            + _table(["weight", "before", "gradient", "after"], rows, caption) + "</div>")
