"""Play/Pause, Step and Reset, and the epoch and loss readouts."""

from __future__ import annotations

import panel as pn
import param

from playground.ui.training import TrainingLoop


class TrainingControls(pn.viewable.Viewer):
    """The buttons that drive the train loop: feed, forward, compare, backprop, repeat."""

    loop = param.ClassSelector(class_=TrainingLoop)
    hidden = param.List(default=[], item_type=str, doc="`_hide` keys of buttons left out.")

    def __init__(self, **params) -> None:
        super().__init__(**params)
        self._play = pn.widgets.Button(name="Play", button_type="primary", width=96, height=44,
                                       description=None)
        self._step = pn.widgets.Button(name="Step", width=80, height=44)
        self._reset = pn.widgets.Button(name="Reset", width=80, height=44)
        self._play.on_click(lambda _: self.loop.toggle())
        self._step.on_click(lambda _: self.loop.step())
        self._reset.on_click(lambda _: self.loop.reset())
        self.loop.param.watch(self._show_running, "running")

    def _show_running(self, event: param.parameterized.Event) -> None:
        self._play.name = "Pause" if event.new else "Play"

    def __panel__(self) -> pn.viewable.Viewable:
        buttons = {"resetButton": self._reset, "playButton": self._play,
                   "stepButton": self._step}
        return pn.Row(*(b for key, b in buttons.items() if key not in self.hidden),
                      margin=(0, 0))


def format_loss(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


class TrainingStatus(pn.viewable.Viewer):
    """`Epoch N`, `Train loss 0.123`, `Test loss 0.145`: the numbers the article talks about."""

    loop = param.ClassSelector(class_=TrainingLoop)

    def __init__(self, **params) -> None:
        super().__init__(**params)
        self._epoch = pn.pane.Str("", css_classes=["pg-epoch"], margin=(4, 10))
        self._train = pn.pane.Str("", css_classes=["pg-train-loss"], margin=(4, 10))
        self._test = pn.pane.Str("", css_classes=["pg-test-loss"], margin=(4, 10))
        self._accuracy = pn.pane.Str("", css_classes=["pg-accuracy"], margin=(4, 10))
        self._message = pn.pane.Alert("", alert_type="warning", visible=False)
        self.loop.param.watch(self._update, ["epoch", "train_loss", "test_loss", "message",
                                             "test_accuracy"])
        self._update()

    def _update(self, *_events: param.parameterized.Event) -> None:
        self._epoch.object = f"Epoch {self.loop.epoch}"
        self._train.object = f"Train loss {format_loss(self.loop.train_loss)}"
        self._test.object = f"Test loss {format_loss(self.loop.test_loss)}"
        acc = self.loop.test_accuracy
        self._accuracy.object = "" if acc is None else f"Test accuracy {acc:.0%}"
        self._accuracy.visible = acc is not None
        self._message.object = self.loop.message
        self._message.visible = bool(self.loop.message)

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(pn.Row(self._epoch, self._train, self._test, self._accuracy,
                                styles={"flex-wrap": "wrap"}), self._message)
