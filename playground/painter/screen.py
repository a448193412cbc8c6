"""Keeps one host's views in step with the model: what to repaint, and when.

Every refresh of the training loop moves the network's lines and the readouts. The heatmaps
cost a forward pass over a 64x64 grid, so while training they are repainted at most
frames.HEAVY_HZ times a second, and always when training stops; the loss chart, whose every
update redraws its curves and axes on the page, at most frames.LOSS_HZ times. A new experiment
(other data, another shape, Reset) lays the views out again: the only time their sources are
replaced rather than updated. Anything else the learner does (a setting, a tap, a phase of the
step-through) repaints the controls and texts, which cost little.

The Screen only decides; `apply(frame)` is the host's: the Panel views set the frame on their
objects (playground.views.host), the page's worker sends it as patches (playground.browser).
Nothing drawn is NaN or infinite (frames.drawable).
"""

from __future__ import annotations

from collections.abc import Callable

import param

from playground.model.playground import PlaygroundModel
from playground.painter import charts, controls, features, frames, network, output, panels
from playground.painter import network_data as nd
from playground.painter import settings as settings_painter
from playground.painter import steps as steps_painter
from playground.painter.frame import Frame

STEP_PARAMS = ["phase", "forward_layers", "backward_layers", "update_t"]
LOOP_PARAMS = ["running", "diverged", "message", "suggested_learning_rate"]


class Screen:
    """Repaints `m` through `apply` whenever it changes (see the module's docstring)."""

    def __init__(self, m: PlaygroundModel, apply: Callable[[Frame], None]) -> None:
        self.m = m
        self.apply = apply
        self.curve = frames.LossCurve()
        self.heavy_timer = frames.HeavyTimer(frames.HEAVY_HZ)
        self.loss_timer = frames.HeavyTimer(frames.LOSS_HZ)
        self.grid = nd.grid(frames.GRID)
        self._experiment: object = None  # the experiment whose layout is painted
        m.loop.param.watch(self._on_refresh, "refreshes")
        m.loop.param.watch(lambda *_: self.cheap(), LOOP_PARAMS)
        m.session.param.watch(lambda *_: self.cheap(), ["notice", "user_data", "topology"])
        m.state.param.watch(self._on_state, [p for p in m.state.param if p != "name"])
        m.steps.param.watch(self._on_steps, STEP_PARAMS)
        m.weights.param.watch(lambda *_: self._on_weights(), ["index", "value"])
        m.files.param.watch(lambda *_: self.cheap(), ["model_message", "data_message"])
        m.param.watch(lambda *_: self.cheap(), ["link_notices"])

    # what to paint --------------------------------------------------------------------------
    def everything(self) -> list[Frame]:
        """Every target, as it should show now (a new page, a new experiment)."""
        m = self.m
        self._experiment = m.loop.trainer.context
        self.curve = frames.LossCurve()
        return [network.topology(m), output.points(m), network.live(m), network.values_shown(m),
                self.heavy(),
                charts.loss(m, self.curve), charts.activation(m), *self.cheap_frames()]

    def cheap_frames(self) -> list[Frame]:
        """The controls and texts: cheap to paint, painted whenever anything but training
        changes."""
        m = self.m
        return [controls.buttons(m), controls.status(m), controls.shape(m),
                settings_painter.settings(m), output.flags(m), steps_painter.steps(m),
                panels.weight_editor(m), network.selection(m), panels.files(m), panels.page(m)]

    def heavy(self) -> Frame:
        """The heatmaps (a forward pass over the grid), or the digits' features."""
        m = self.m
        self.heavy_timer.mark()
        experiment = m.loop.trainer.context
        if not experiment.dataset.is_2d:
            return network.blank_heatmaps(m) | features.features(m)
        images, out, kind = frames.heatmaps(experiment, self.grid)
        return network.heatmaps(m, images) | output.heat(m, out, kind, frames.GRID)

    # painting -------------------------------------------------------------------------------
    def paint(self, frames_: list[Frame]) -> None:
        for frame in frames_:
            if frame:
                self.apply(frame)

    def all(self) -> None:
        self.paint(self.everything())

    def cheap(self) -> None:
        if self._experiment is not self.m.loop.trainer.context:
            self.all()  # a new experiment not painted yet: everything
        else:
            self.paint(self.cheap_frames())

    def _on_refresh(self, *_events: param.parameterized.Event) -> None:
        m = self.m
        if self._experiment is not m.loop.trainer.context:
            self.all()
            return
        todo = [network.live(m)]
        if not m.steps.active and self.heavy_timer.due(m.loop.running):
            todo.append(self.heavy())
        if self.loss_timer.due(m.loop.running):
            self.loss_timer.mark()
            todo.append(charts.loss(m, self.curve))
        todo += [controls.buttons(m), controls.status(m)]
        self.paint(todo)

    def _on_state(self, *events: param.parameterized.Event) -> None:
        names = {e.name for e in events}
        todo = self.cheap_frames()
        if "activation" in names:
            todo.append(charts.activation(self.m))
        if "discretize" in names and self._experiment is self.m.loop.trainer.context:
            todo.append(self.heavy())
        if self._experiment is not self.m.loop.trainer.context:
            self.all()
        else:
            self.paint(todo)

    def _on_steps(self, *events: param.parameterized.Event) -> None:
        m = self.m
        if self._experiment is not m.loop.trainer.context:
            self.all()
            return
        todo = [network.live(m), {network.VALUES: network.values(m)}, network.values_shown(m)]
        if not m.steps.active and any(e.name == "phase" for e in events):
            todo.append(self.heavy())  # back to the live views
        if any(e.name == "phase" for e in events):
            todo += self.cheap_frames()
        self.paint(todo)

    def _on_weights(self) -> None:
        self.paint([panels.weight_editor(self.m), network.selection(self.m)])


def placeholder() -> list[Frame]:
    """What the page shows before its link's first frame (it was built for another link)."""
    return [network.placeholder(), output.placeholder(), charts.loss_placeholder(),
            charts.activation_placeholder(), controls.placeholder(),
            settings_painter.placeholder()]
