"""Step-through mode: one minibatch's training step, shown in four phases.

Forward (activations light up layer by layer), Loss (prediction against answer), Backward
(lines coloured and thickened by their gradient, from the output back to the inputs), Update
(every weight moves by -learning rate x gradient; the lines move to their new thickness).
The engine computes the whole step at once (`Trainer.step_through`); this view only shows it
one phase at a time, holding the network view on the weights from before the update until the
Update phase.
"""

from __future__ import annotations

import asyncio
import html

import numpy as np
import panel as pn
import param

from playground.engine.trainer import Step
from playground.model.session import Session
from playground.model.sync import locked
from playground.painter import network_data as nd
from playground.views.live import LiveViews
from playground.views.network_view import NetworkView

PHASES = ("Forward", "Loss", "Backward", "Update")
FRAME = 0.3  # seconds between the layers of an animation
MAX_ROWS = 30  # rows of the Update table (the largest changes, if there are more weights)

EXPLAIN = {
    "": "Press **Next phase** to take one minibatch through one training step, a phase at a "
        "time: feed, forward, compare, backpropagate, update. Training pauses meanwhile.",
    "Forward": "**Forward pass.** The minibatch's points enter the input layer. Each neuron "
               "multiplies its inputs by its weights, adds its bias and applies the activation "
               "function; the results move on to the next layer, until the output makes a "
               "prediction. The numbers on the neurons are the first point's values.",
    "Loss": "**Compare with the correct answer.** The prediction is compared with each point's "
            "label. The loss is a number showing how wrong the network is: here the mean of "
            "the points' errors. Learning means making this number smaller.",
    "Backward": "**Backpropagation.** The error travels backward from the output, through the "
                "hidden layers, to the inputs. Each line now shows its gradient: how much the "
                "loss would change if that weight changed. Thick lines mattered most to the "
                "error; blue ones are about to grow, orange ones to shrink.",
    "Update": "**Update.** Every weight takes a small step against its gradient: new weight = "
              "old weight − learning rate × gradient. The lines move to their new thickness. "
              "Repeat this thousands of times and the network learns.",
}


class StepThrough(pn.viewable.Viewer):
    """The four-phase walk through one training step, with a Next phase button."""

    session = param.ClassSelector(class_=Session)
    network = param.ClassSelector(class_=NetworkView)
    live = param.ClassSelector(class_=LiveViews)
    phase = param.Selector(default="", objects=["", *PHASES])
    frames = param.Integer(default=0, doc="Animation frames drawn (a notebook pushes each).")

    def __init__(self, **params) -> None:
        super().__init__(**params)
        self.step: Step | None = None
        self._task: asyncio.Future | None = None
        self._publishing = False
        self._next = pn.widgets.Button(name="Next phase", button_type="primary", height=44,
                                       width=140)
        self._leave = pn.widgets.Button(name="Back to training", height=44, width=160,
                                        visible=False)
        self._next.on_click(lambda _: self.next_phase())
        self._leave.on_click(lambda _: self.leave())
        self._phases = pn.pane.Markdown("", css_classes=["pg-phases"], margin=(0, 8))
        self._explain = pn.pane.Markdown("", margin=(0, 8), sizing_mode="stretch_width")
        self._detail = pn.pane.HTML("", margin=(0, 8), sizing_mode="stretch_width",
                                    css_classes=["pg-step-detail"])
        loop = self.session.loop
        loop.param.watch(self._on_running, "running")
        loop.param.watch(lambda _: self.leave(), "resets")
        loop.param.watch(self._on_refresh, "refreshes")
        self.session.param.watch(lambda _: self.leave(), "topology")
        self._show_phase()

    # commands ---------------------------------------------------------------------------------
    def next_phase(self) -> None:
        if self.phase in ("", "Update") or self.step is None:
            self._take_step()
        else:
            self.phase = PHASES[PHASES.index(self.phase) + 1]

    def leave(self) -> None:
        """Back to the live views."""
        self._cancel()
        self.step = None
        self.live.frozen = False
        if self.phase:
            self.phase = ""
        self.network.set_values([""] * len(self.network.values.data["x"]))
        self.live.refresh(heavy=True)

    def _take_step(self) -> None:
        loop = self.session.loop
        loop.pause()
        self.live.frozen = True
        self.step = loop.trainer.step_through()
        if self.phase == "Forward":
            self._show_phase()
        else:
            self.phase = "Forward"

    def _on_running(self, event: param.parameterized.Event) -> None:
        if event.new and self.phase:
            self.leave()

    def _on_refresh(self, _event: param.parameterized.Event) -> None:
        """Anything else that moved the network (Step, a weight typed in) ends the walk."""
        if self.phase and not self._publishing:
            self.leave()

    # showing a phase --------------------------------------------------------------------------
    @param.depends("phase", watch=True)
    def _show_phase(self) -> None:
        self._cancel()
        phase = self.phase
        marks = [f"**▶ {p}**" if p == phase else p for p in PHASES]
        self._phases.object = "Training step: " + " → ".join(marks)
        self._explain.object = EXPLAIN[phase]
        self._leave.visible = bool(phase)
        step = self.step
        if not phase or step is None:
            self._detail.object = ""
            return
        if phase == "Forward":
            self.network.set_weights(step.weights_before, step.biases_before)
            self._detail.object = forward_table(step)
            self._animate(self._forward(step))
        elif phase == "Loss":
            self._detail.object = loss_table(step)
            self._show_values(step, len(step.activations))
        elif phase == "Backward":
            self._show_values(step, 0)
            self._detail.object = backward_text(step)
            self._animate(self._backward(step))
        else:
            self._detail.object = update_table(step, self._segment_labels())
            self._publishing = True
            try:
                self.session.loop.publish()  # the epoch count and losses, if an epoch ended
            finally:
                self._publishing = False
            self._animate(self._update(step))

    def _show_values(self, step: Step, layers: int) -> None:
        """The first point's value on every neuron of the first `layers` layers."""
        texts: list[str] = []
        for i, a in enumerate(step.activations):
            texts += [f"{v:.2f}" if i < layers else "" for v in a[0]]
        self.network.set_values(texts)

    async def _frame(self, change) -> None:
        """One frame of an animation, under the document lock (see playground.model.sync)."""
        await locked(change)
        self.frames += 1

    async def _forward(self, step: Step) -> None:
        for k in range(1, len(step.activations) + 1):
            await self._frame(lambda k=k: self._show_values(step, k))
            await asyncio.sleep(FRAME)

    async def _backward(self, step: Step) -> None:
        for reached in range(1, len(step.dW) + 1):
            await self._frame(lambda r=reached: self.network.show_lines(
                *nd.gradient_lines(step.dW, r)))
            await asyncio.sleep(FRAME)

    async def _update(self, step: Step) -> None:
        frames = 6
        for k in range(1, frames):
            t = k / frames
            w = [a + t * (b - a) for a, b in zip(step.weights_before, step.weights_after,
                                                strict=True)]
            b = [a + t * (c - a) for a, c in zip(step.biases_before, step.biases_after,
                                                strict=True)]
            await self._frame(lambda w=w, b=b: self.network.set_weights(w, b))
            await asyncio.sleep(FRAME / 2)
        await self._frame(lambda: self.network.set_weights(step.weights_after,
                                                           step.biases_after))  # exactly

    def _animate(self, coroutine) -> None:
        self._task = asyncio.ensure_future(coroutine)

    def _cancel(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None

    def _segment_labels(self) -> list[tuple[str, str]]:
        data = self.network.lines.data
        return list(zip(data["from_label"], data["to_label"], strict=True))

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(
            pn.pane.Markdown("### Step through one training step", margin=(0, 8)),
            self._phases,
            pn.Row(self._next, self._leave),
            self._explain,
            self._detail,
            sizing_mode="stretch_width",
        )


# what each phase shows as numbers (HTML built from numbers and our own labels only) ----------
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
