"""Keeps the views in step with training: what to redraw on each refresh, and how often.

Every refresh of the training loop moves the network's lines (a few numbers per weight). The
heatmaps cost a forward pass over a 64x64 grid, so while training they are redrawn at most
frames.HEAVY_HZ times a second, and always when training stops. What is drawn is computed in
playground.painter.frames, which the quick start shares. A new experiment (other data, another
shape) lays the views out again: the only time their sources are replaced rather than updated.

Nothing drawn is NaN or infinite: weights, biases and activations pass through `drawable`
first (the engine keeps finite weights, but a forward pass of huge ones can still overflow).
"""

from __future__ import annotations

import numpy as np
import param

from playground.model.session import Session
from playground.painter import frames
from playground.painter.frames import GRID, THUMB_STEP, drawable
from playground.painter.network_data import grid
from playground.views.features_view import FeaturesView
from playground.views.network_view import NetworkView
from playground.views.output_view import OutputView
from playground.views.settings import FEATURE_LABELS


class LiveViews(param.Parameterized):
    """Pushes the session's trainer into the network, output and feature views."""

    session = param.ClassSelector(class_=Session)
    network = param.ClassSelector(class_=NetworkView)
    output = param.ClassSelector(class_=OutputView)
    features = param.ClassSelector(class_=FeaturesView)
    frozen = param.Boolean(default=False, doc="The step-through owns the network view.")

    def __init__(self, **params) -> None:
        super().__init__(**params)
        self._grid = grid(GRID)
        self._heavy = frames.HeavyTimer()
        loop = self.session.loop
        loop.param.watch(self._on_refresh, "refreshes")
        self.session.param.watch(self._on_topology, "topology")
        self.output.param.watch(lambda _: self.refresh(heavy=True), "discretize")
        self._on_topology()

    @property
    def experiment(self):
        return self.session.loop.trainer.context

    # a new experiment --------------------------------------------------------------------------
    def _on_topology(self, *_events: param.parameterized.Event) -> None:
        exp = self.experiment
        config = exp.config
        sizes = exp.trainer.network.sizes
        if config.is_image_dataset:
            inputs = [f"pixel {i + 1}" for i in range(sizes[0])]
        else:
            inputs = [FEATURE_LABELS.get(f, f) for f in config.features]
        self.network.set_topology(sizes, inputs, [False] * sizes[0],
                                  output_label="output" if sizes[-1] == 1 else "class")
        data = exp.dataset
        if data.is_2d:
            self.output.set_points((data.x_train, data.y_train), (data.x_test, data.y_test),
                                   data.n_classes)
        self.refresh(heavy=True)

    # every refresh ----------------------------------------------------------------------------
    def _on_refresh(self, *_events: param.parameterized.Event) -> None:
        self.refresh(heavy=self._heavy.due(self.session.loop.running))

    def refresh(self, heavy: bool = True) -> None:
        """Redraw the lines; with `heavy`, the heatmaps (and the digit features) too."""
        if self.frozen:
            return
        self.network.set_weights(*frames.drawable_parameters(self.experiment.trainer.network))
        if heavy:
            self._heavy.mark()
            self._heatmaps()

    def _heatmaps(self) -> None:
        exp = self.experiment
        if not exp.dataset.is_2d:
            self._digit_features()
            return
        images, out, kind = frames.heatmaps(exp, self._grid)
        self.network.set_heatmaps(images)
        self.output.set_output(out, kind, GRID)

    def _digit_features(self) -> None:
        exp = self.experiment
        net = exp.trainer.network
        blank = np.zeros((GRID // THUMB_STEP,) * 2, dtype=np.float32)
        self.network.set_heatmaps([blank] * sum(net.sizes))
        if len(net.layers) < 2:
            return  # no hidden layer: no features to show
        x = exp.dataset.x_train
        exp.trainer.predict(x)
        self.features.update(drawable(net.layers[0].W), drawable(net.activations[1]), x)
