"""Play/Pause, Step and Reset, and the epoch and loss readouts.

After a divergence Play and Step are disabled (their tooltip says why) and the status shows
what happened, with a Reset button next to it and, when there is a smaller learning rate to
offer, "Reset with learning rate 0.03". Every widget exists from the start; only the leaves'
`visible` changes (a layout hidden when the page is drawn would never show in the browser).
"""

from __future__ import annotations

import panel as pn
import param

from playground.model.session import Session
from playground.model.training import TrainingLoop
from playground.painter.frames import status_texts

DIVERGED_TIP = "Training diverged: press Reset to start again"


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
        # by the page's names for them (the quick start answers these three)
        self.buttons = {"play": self._play, "step": self._step, "reset": self._reset}
        self._play.on_click(lambda _: self.loop.toggle())
        self._step.on_click(lambda _: self.loop.step())
        self._reset.on_click(lambda _: self.loop.reset())
        self.loop.param.watch(self._show_running, "running")
        self.loop.param.watch(self._show_diverged, "diverged")
        self._show_diverged()

    def _show_running(self, event: param.parameterized.Event) -> None:
        self._play.name = "Pause" if event.new else "Play"

    def _show_diverged(self, *_events: param.parameterized.Event) -> None:
        diverged = self.loop.diverged
        for button in (self._play, self._step):
            button.disabled = diverged
        # a disabled button's tooltip still shows on hover; aria: its label says it too
        self._play.description = DIVERGED_TIP if diverged else None

    def __panel__(self) -> pn.viewable.Viewable:
        buttons = {"resetButton": self._reset, "playButton": self._play,
                   "stepButton": self._step}
        return pn.Row(*(b for key, b in buttons.items() if key not in self.hidden),
                      margin=(0, 0))


class TrainingStatus(pn.viewable.Viewer):
    """`Epoch N`, `Train loss 0.123`, `Test loss 0.145`: the numbers the article talks about.

    With a `session`, a divergence message comes with its recovery buttons: Reset, and Reset
    with a smaller learning rate (which also sets the learning-rate control and the link)."""

    loop = param.ClassSelector(class_=TrainingLoop)
    session = param.ClassSelector(class_=Session, default=None, allow_None=True)

    def __init__(self, **params) -> None:
        super().__init__(**params)
        self._epoch = pn.pane.Str("", css_classes=["pg-epoch"], margin=(4, 10))
        self._train = pn.pane.Str("", css_classes=["pg-train-loss"], margin=(4, 10))
        self._test = pn.pane.Str("", css_classes=["pg-test-loss"], margin=(4, 10))
        self._accuracy = pn.pane.Str("", css_classes=["pg-accuracy"], margin=(4, 10))
        self._message = pn.pane.Alert("", alert_type="warning", visible=False,
                                      css_classes=["pg-diverged"], margin=(4, 10))
        self.reset_button = pn.widgets.Button(name="Reset", button_type="warning", height=44,
                                              width=80, visible=False, margin=(4, 6))
        self.lower_button = pn.widgets.Button(name="Reset with a smaller learning rate", width=250,
                                              button_type="primary", height=44, visible=False,
                                              margin=(4, 6))
        self.readouts = {"epoch": self._epoch, "train": self._train, "test": self._test,
                         "accuracy": self._accuracy}
        self.reset_button.on_click(lambda _: self.recover())
        self.lower_button.on_click(lambda _: self.recover(self.loop.suggested_learning_rate))
        self.loop.param.watch(self._update, ["epoch", "train_loss", "test_loss", "message",
                                             "test_accuracy", "diverged",
                                             "suggested_learning_rate"])
        self._update()

    def recover(self, learning_rate: float | None = None) -> None:
        """Reset after a divergence, first setting `learning_rate` if one is given."""
        if self.session is not None:
            self.session.recover(learning_rate)
        else:
            config = self.loop.config
            if learning_rate is not None:
                config = config.replace(learning_rate=learning_rate)
            self.loop.reset(config)

    def _update(self, *_events: param.parameterized.Event) -> None:
        texts = status_texts(self.loop)
        self._epoch.object = texts["epoch"]
        self._train.object = texts["train"]
        self._test.object = texts["test"]
        self._accuracy.object = texts["accuracy"]
        self._accuracy.visible = bool(texts["accuracy"])
        self._message.object = self.loop.message
        self._message.visible = bool(self.loop.message)
        diverged = self.loop.diverged
        lower = self.loop.suggested_learning_rate
        self.reset_button.visible = diverged
        self.lower_button.visible = diverged and lower is not None
        if lower is not None:
            self.lower_button.name = f"Reset with learning rate {lower:g}"

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(pn.Row(self._epoch, self._train, self._test, self._accuracy,
                                styles={"flex-wrap": "wrap"}),
                         pn.Row(self._message, self.reset_button, self.lower_button,
                                styles={"flex-wrap": "wrap", "align-items": "center"},
                                margin=0))
