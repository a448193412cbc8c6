"""The smaller panels: the weight editor, the files' messages and your own data's status, the
notices, and which parts of the page are shown (the output or the digits' features; the
explanations unless `hideText`; the panels a lesson link hides)."""

from __future__ import annotations

import html

import numpy as np

from playground.experiment import USER_DATASET
from playground.model.playground import PlaygroundModel
from playground.model.weights import NONE
from playground.painter.frame import Frame
from playground.painter.labels import DATASET_LABELS
from playground.painter.network import bias_labels, line_labels

# the weight editor
HINT, CHOOSE, VALUE = "weights.hint", "weights.choose", "weights.value"
HINT_TEXT = ("Tap a line or a bias square in the network, or choose it below, to see its value "
             "here and change it.")
EDIT_TEXT = "Type a new value and press Enter; the output changes at once."


def weight_editor(m: PlaygroundModel) -> Frame:
    lines = [f"{a} → {b}" for a, b in line_labels(m)]
    names = lines + [f"bias of {n}" for n in bias_labels(m)]
    choices = [("(none)", NONE)] + [(name, i) for i, name in enumerate(names)]
    chosen = 0 <= m.weights.index < len(names)
    frame: Frame = {CHOOSE: {"options": choices},
                    HINT: {"object": f"<p>{html.escape(EDIT_TEXT if chosen else HINT_TEXT)}</p>"},
                    VALUE: {"visible": chosen}}
    if chosen:
        index = m.weights.index
        frame[VALUE]["name"] = (f"Weight {names[index]}" if index < len(lines)
                                else f"B{names[index][1:]}")  # "Bias of neuron 1 of layer 1"
    return frame


# files
MODEL_MESSAGE, DATA_MESSAGE = "files.model_message", "files.data_message"
DATA_STATUS, BACK = "files.data_status", "files.back"
VIEW_EXTENT = 6.0  # the output view shows [-6, 6]^2


def _status(message: str) -> str:
    """A message as plain text, read out by screen readers."""
    return (f'<p role="status" aria-live="polite">{html.escape(message)}</p>'
            if message else "")


def files(m: PlaygroundModel) -> Frame:
    session, state = m.session, m.state
    dataset = DATASET_LABELS.get(state.active_dataset(), state.active_dataset())
    user = session.user_data
    experiment = m.loop.trainer.context
    status = ""
    if user is not None and experiment.config.dataset == USER_DATASET:
        data = experiment.dataset
        points = np.array(user.points)[:, :2]
        status = (f"Training on your data{': ' + user.name if user.name else ''}: {len(user)} "
                  f"points ({len(data.x_train)} to train on, {len(data.x_test)} to test). "
                  f"A link to this page cannot hold them: it opens the {dataset} dataset.")
        if bool(np.any(np.abs(points) > VIEW_EXTENT)):
            status += f" Points beyond ±{VIEW_EXTENT:g} are outside the output view."
    return {MODEL_MESSAGE: {"object": _status(m.files.model_message)},
            DATA_MESSAGE: {"object": _status(m.files.data_message)},
            DATA_STATUS: {"object": f"<p>{html.escape(status)}</p>" if status else "",
                          "visible": user is not None},
            BACK: {"visible": user is not None, "name": f"Back to {dataset}"}}


# notices and what is shown
MAX_LINK_NOTICES = 8  # a link's notices shown; the rest are counted
LINK_NOTICE, NOTICE = "page.link_notice", "page.notice"
# explanations, left out with hideText (an embedded page has none at all)
TEXTS = ("text.intro", "text.network", "text.output", "text.loss", "text.save",
         "text.data", "text.activation", "activation.text", "features.intro", "steps.explain")
CARDS = {"card.loss": "lossChart", "card.steps": "stepThrough",
         "card.activation": "activationView"}  # panels a link may hide, by `_hide` key
SHARE = "page.share"
OUTPUT_PARTS = ("output.figure", "text.output")  # 2-D data only (its checkboxes: settings)
FEATURE_PARTS = ("features.figure", "features.intro")  # the digits only


def link_notice(notices: list[str]) -> str:
    if not notices:
        return ""
    items = "".join(f"<li>{html.escape(n)}</li>" for n in notices[:MAX_LINK_NOTICES])
    more = (f"<li>and {len(notices) - MAX_LINK_NOTICES} more</li>"
            if len(notices) > MAX_LINK_NOTICES else "")
    return ("<p>Some settings in this link could not be used; the playground used its "
            f"defaults instead:</p><ul>{items}{more}</ul>")


def page(m: PlaygroundModel) -> Frame:
    state = m.state
    hidden = set(state.hidden_controls)
    texts = not state.hide_text
    images = m.loop.trainer.context.config.is_image_dataset
    frame: Frame = {
        LINK_NOTICE: {"object": link_notice(m.link_notices), "visible": bool(m.link_notices)},
        NOTICE: {"object": f"<p>{html.escape(m.session.notice)}</p>" if m.session.notice
                 else "", "visible": bool(m.session.notice)},
        SHARE: {"visible": m.share and "share" not in hidden},
    }
    for target in TEXTS:
        frame[target] = {"visible": texts}
    for target, key in CARDS.items():
        frame[target] = {"visible": key not in hidden}
    for target in OUTPUT_PARTS:
        frame[target] = {"visible": not images and (texts or not target.startswith("text."))}
    for target in FEATURE_PARTS:
        frame[target] = {"visible": images and (texts or target != "features.intro")}
    return frame
