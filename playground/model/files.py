"""Files the learner opens and saves: a saved model (JSON, the command line's `--save` format)
and their own data (a CSV file of x1, x2, label).

Wherever the file is picked (the page reads it in the browser; a notebook's file input), what
arrives here is a `PickedFile`: its text, or why it was not read. The page checks the size
before reading, so a file over the limit is never read; what it did read is checked by the
Session, which changes nothing unless the file can be used. Each result is one plain-text
sentence (a file's own text is never shown as markup), in `model_message` or `data_message`.
"""

from __future__ import annotations

from dataclasses import dataclass

import param

from playground.model.session import (
    MAX_CSV_BYTES,
    MAX_MODEL_BYTES,
    Session,
    csv_size_problem,
)

ERRORS = ("too_big", "not_text", "unreadable")  # why the page did not read a file
MODEL_REFUSED = {"too_big": (f"The file is too big for a saved model (more than "
                             f"{MAX_MODEL_BYTES // 2**20} MB)."),
                 "not_text": "The file is not a saved model: it is not text.",
                 "unreadable": "The browser could not read the file."}
DATA_REFUSED = {"not_text": "The file is not a CSV file: it is not text.",
                "unreadable": "The browser could not read the file."}
LIMITS = {"model": MAX_MODEL_BYTES, "data": MAX_CSV_BYTES}  # bytes the page reads at most


@dataclass(frozen=True)
class PickedFile:
    """A file the user picked: its text, or why it was not read (`error`, one of ERRORS)."""

    name: str
    size: int
    text: str | None = None
    error: str | None = None

    @classmethod
    def from_message(cls, msg: object) -> PickedFile | None:
        """The page's message about a picked file ({"name", "size", "text" or "error"}), or
        None if it is not one."""
        if not isinstance(msg, dict):
            return None
        name = msg.get("name") if isinstance(msg.get("name"), str) else ""
        size = msg.get("size")
        size = size if isinstance(size, int) and not isinstance(size, bool) else 0
        error, text = msg.get("error"), msg.get("text")
        if error is not None:
            return cls(name, size, error=error if error in ERRORS else "unreadable")
        if not isinstance(text, str):
            return cls(name, size, error="unreadable")
        return cls(name, size, text=text)


def model_filename(epoch: int) -> str:
    return f"playground-model-epoch-{epoch}.json"


class Files(param.Parameterized):
    """Opens what the learner picks, saves what they trained; says what happened."""

    session = param.ClassSelector(class_=Session)
    model_message = param.String(default="", doc="What became of the last model file.")
    data_message = param.String(default="", doc="Why the last data file was refused, if so.")
    back_to_dataset = param.Event(label="Back to the dataset")

    # saved models ---------------------------------------------------------------------------
    def save_model(self) -> tuple[str, str]:
        """(file name, JSON text) of the trained model."""
        return model_filename(self.session.loop.epoch), self.session.model_json()

    def open_model(self, picked: PickedFile) -> None:
        if picked.error is not None:
            self.model_message = MODEL_REFUSED.get(picked.error, MODEL_REFUSED["unreadable"])
            return
        error = self.session.load_model_json(picked.text or "")
        self.model_message = error or (
            f"Opened the model saved at epoch {self.session.loop.epoch}.")

    # the learner's own data ----------------------------------------------------------------
    def open_data(self, picked: PickedFile) -> None:
        if picked.error == "too_big":
            message = csv_size_problem(picked.size) or DATA_REFUSED["unreadable"]
        elif picked.error is not None:
            message = DATA_REFUSED.get(picked.error, DATA_REFUSED["unreadable"])
        else:
            message = self.session.open_csv(picked.text or "", picked.name)
        self.data_message = "" if message is None else (
            f"{_name(picked.name)}{message} The data and weights are unchanged.")

    @param.depends("back_to_dataset", watch=True)
    def _back(self) -> None:
        self.session.clear_user_data()


def _name(name: str) -> str:
    """The file's name as a message's prefix ("points.csv: "), short and printable."""
    name = "".join(c if c.isprintable() else "?" for c in name)
    if len(name) > 60:
        name = name[:59] + "…"
    return f"{name}: " if name else ""
