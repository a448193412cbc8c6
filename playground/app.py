"""The playground page: composes the views over one training loop. `panel serve` runs it too."""

from __future__ import annotations

from collections.abc import Callable

import panel as pn

from playground.ui.controls import TrainingControls, TrainingStatus
from playground.ui.loss_chart import LossChart
from playground.ui.training import TrainingLoop


class Playground(pn.viewable.Viewer):
    """The whole playground as one component: usable in a page, a notebook or `panel serve`."""

    def __init__(self, ready: Callable[[], bool] | None = None, **params) -> None:
        super().__init__(**params)
        self.loop = TrainingLoop(ready=ready)
        self._layout = pn.Column(
            pn.pane.Markdown("## Neural Network Playground", margin=(0, 10)),
            TrainingControls(loop=self.loop),
            TrainingStatus(loop=self.loop),
            LossChart(loop=self.loop),
            sizing_mode="stretch_width",
        )

    def __panel__(self) -> pn.viewable.Viewable:
        return self._layout


def create_app(ready: Callable[[], bool] | None = None) -> Playground:
    return Playground(ready=ready)


if __name__.startswith("bokeh_app"):  # panel serve playground/app.py
    pn.extension()
    create_app().servable(title="Neural Network Playground")
