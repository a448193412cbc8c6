"""Your own data: a CSV file of x1, x2, label becomes the experiment's dataset ("user"), until
another dataset is chosen; anything unusable is refused with a reason and changes nothing."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from bokeh.document import Document

from playground.app import Playground
from playground.experiment import USER_DATASET, Config, build_trainer, save_model
from playground.model import session as session_module
from playground.model.session import MAX_CSV_BYTES, Session, UserData, csv_size_problem
from playground.state import State
from playground.views.data_files import LABEL, DataFiles
from playground.views.file_input import PICK, TextFileInput, read_upload, upload_message

GOOD = "x1,x2,label\n1.5,2,1\n-1,-2.5,-1\n2,-3,1\n-4,1,-1\n0.5,0.5,1\n-0.5,-0.5,-1\n"
GOOD_POINTS = [(1.5, 2.0, 1.0), (-1.0, -2.5, -1.0), (2.0, -3.0, 1.0), (-4.0, 1.0, -1.0),
               (0.5, 0.5, 1.0), (-0.5, -0.5, -1.0)]


def trained(epochs: int = 3, **state: Any) -> Session:
    session = Session(State(**state))
    for _ in range(epochs):
        session.loop.step()
    return session


def snapshot(session: Session) -> tuple:
    loop = session.loop
    return (session.state.values(), [p.copy() for p in loop.trainer.network.params()],
            loop.trainer, loop.epoch, loop.resets, session.topology, loop.config,
            session.user_data, list(loop.trainer.history.train_loss))


def assert_unchanged(before: tuple, after: tuple) -> None:
    assert after[0] == before[0]
    assert all(np.array_equal(a, b) for a, b in zip(after[1], before[1], strict=True))
    assert after[2:] == before[2:]


def all_points(session: Session) -> set[tuple[float, float, float]]:
    data = session.loop.trainer.context.dataset
    x = np.concatenate([data.x_train, data.x_test])
    y = np.concatenate([data.y_train, data.y_test])
    return {(float(a), float(b), float(c)) for (a, b), c in zip(x, y, strict=True)}


# opening a file ---------------------------------------------------------------------------------
def test_a_csv_becomes_the_user_dataset_and_trains() -> None:
    session = trained()
    state_before = session.state.values()
    assert session.open_csv(GOOD, "mine.csv") is None
    config = session.loop.config
    assert config.dataset == USER_DATASET
    assert config.points == tuple(GOOD_POINTS)
    assert session.user_data == UserData(tuple(GOOD_POINTS), "classification", "mine.csv")
    assert all_points(session) == set(GOOD_POINTS)
    assert session.loop.epoch == 0
    assert session.topology == 1
    assert session.state.values() == state_before  # the link cannot hold the points
    session.loop.step()
    assert session.loop.epoch == 1


def test_bytes_with_a_byte_order_mark_and_no_header_are_read() -> None:
    session = Session()
    text = "\ufeff" + "\n".join(f"{a},{b},{c:g}" for a, b, c in GOOD_POINTS)
    assert session.open_csv(text.encode("utf-8")) is None
    assert all_points(session) == set(GOOD_POINTS)


def test_zero_one_labels_and_three_classes() -> None:
    session = Session()
    assert session.open_csv("0,0,0\n1,1,1\n2,2,0\n3,3,1\n") is None
    assert session.loop.trainer.context.dataset.n_classes == 2
    assert session.open_csv("0,0,0\n1,1,1\n2,2,2\n3,3,0\n") is None
    assert session.loop.trainer.context.dataset.n_classes == 3
    assert session.loop.config.loss_name == "softmax_ce"


def test_regression_reads_numeric_targets() -> None:
    session = Session(State(problem="regression"))
    assert session.open_csv("0,0,0.25\n1,1,-0.5\n2,2,0.75\n") is None
    assert session.loop.config.problem == "regression"
    assert session.loop.trainer.context.dataset.n_classes is None


def test_other_settings_still_apply_to_the_users_data() -> None:
    session = Session()
    session.open_csv(GOOD)
    session.state.hidden = [3]
    session.state.noise = 20
    session.state.train_percent = 70
    assert session.loop.config.dataset == USER_DATASET
    assert session.loop.config.hidden == (3,)
    assert all_points(session) == set(GOOD_POINTS)
    session.state.learning_rate = 0.3  # live: same trainer, config keeps the points
    assert session.loop.config.points == tuple(GOOD_POINTS)
    session.loop.reset()
    assert session.loop.trainer.context.config.dataset == USER_DATASET


@pytest.mark.parametrize(("name", "value"), [("dataset", "xor"), ("problem", "regression")])
def test_choosing_a_dataset_or_problem_leaves_the_users_data(name: str, value: str) -> None:
    session = Session()
    session.open_csv(GOOD)
    setattr(session.state, name, value)
    assert session.user_data is None
    assert session.loop.config.dataset != USER_DATASET
    assert session.loop.config.points == ()


def test_clear_user_data_goes_back_to_the_chosen_dataset() -> None:
    session = Session(State(dataset="moons"))
    session.clear_user_data()  # nothing to clear: nothing happens
    assert session.topology == 0
    session.open_csv(GOOD)
    session.clear_user_data()
    assert session.user_data is None
    assert session.loop.config.dataset == "moons"
    assert session.topology == 2


def test_a_saved_model_replaces_the_users_data() -> None:
    config = Config(dataset="xor", hidden=(3,))
    saved = json.dumps(save_model(build_trainer(config), config))
    session = Session(State(hidden=[3]))
    session.open_csv(GOOD)
    assert session.load_model_json(saved) is None
    assert session.user_data is None
    assert session.loop.config.dataset == "xor"


def test_the_saved_model_of_the_users_data_holds_the_points() -> None:
    session = Session()
    session.open_csv(GOOD)
    saved = json.loads(session.model_json())
    assert saved["config"]["dataset"] == USER_DATASET
    assert [tuple(p) for p in saved["config"]["points"]] == GOOD_POINTS


# refusals ---------------------------------------------------------------------------------------
BIG = MAX_CSV_BYTES + 1
REFUSED = [
    ("", "The file is empty"),
    (b"", "The file is empty"),
    (" \n\n", "The file is empty"),
    ("x1,x2,label\n", "a header but no data rows"),
    ("1,2,1\n", "1 data row"),
    ("1,2\n3,4\n", "line 1: expected 3 columns"),
    ("a,b,c\n1,2,1,4\n", "line 2: expected 3 columns"),
    ("x1;x2;label\n1;2;1\n3;4;-1\n", "line 2: expected 3 columns"),
    ("1,2,1\n3,four,1\n", "line 2: 'four' is not a number"),
    ("1,2,1\n3,nan,1\n", "not a finite number"),
    ("1,2,1\n3,1e9,1\n", "out of range"),
    ("1,2,1\n3,4,0.5\n", "for numbers to predict, choose the regression problem first"),
    ("1,2,1\n3,4,1\n", "at least two different labels"),
    ("1,2,-1\n3,4,2\n", "labels mix -1"),
    ("1,2,1\n" * 10_001, "too many rows"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "it is not text"),
    ("1,2,1\x00\x00\n3,4,-1\n", "it is binary"),
    ("x" * BIG, "The file is too big (2.0 MB): the limit is 2 MB (10,000 rows"),
    (b"1,2,1\n" * (50 * 2**20 // 6), "The file is too big (50.0 MB): the limit is 2 MB"),
    ("é" * (BIG // 2 + 1), "too big"),  # counted in bytes
]


@pytest.mark.parametrize(("data", "fragment"), REFUSED,
                         ids=[f"{i}" for i in range(len(REFUSED))])
def test_a_file_that_cannot_be_used_says_why_and_changes_nothing(data: str | bytes,
                                                                fragment: str) -> None:
    session = trained(dataset="xor")
    before = snapshot(session)
    message = session.open_csv(data, "bad.csv")
    assert message is not None
    assert fragment in message
    assert message.endswith(".")
    assert message.isprintable()
    assert len(message) <= 400
    assert_unchanged(before, snapshot(session))


def test_refused_users_data_keeps_the_previous_users_data() -> None:
    session = Session()
    session.open_csv(GOOD)
    before = snapshot(session)
    assert session.open_csv("1,2\n") is not None
    assert_unchanged(before, snapshot(session))
    assert session.loop.config.points == tuple(GOOD_POINTS)


def test_a_huge_file_is_refused_before_it_is_decoded_or_parsed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_args, **_kwargs):
        raise AssertionError("parsed")

    monkeypatch.setattr(session_module, "parse_csv", boom)
    huge = b"\xff" * (50 * 2**20)  # not even text: the size is what is refused
    message = Session().open_csv(huge)
    assert message is not None
    assert "too big" in message


def test_csv_size_problem() -> None:
    assert csv_size_problem(MAX_CSV_BYTES) is None
    assert csv_size_problem(50 * 2**20) == ("The file is too big (50 MB): the limit is 2 MB "
                                            "(10,000 rows of x1, x2, label).")


# the widget -------------------------------------------------------------------------------------
def pick(files: DataFiles, name: str, text: str | None = None, size: int | None = None,
         error: str | None = None) -> None:
    """What the page sends when a file is picked."""
    files.open.upload = upload_message(name, text, size, error, n=len(files.open.upload) + 1)


def test_picking_a_csv_trains_on_it_and_says_the_link_cannot_hold_it() -> None:
    session = Session(State(dataset="spiral"))
    files = DataFiles(session=session)
    assert not files.status.visible
    assert not files.back.visible
    pick(files, "points.csv", GOOD)
    assert session.loop.config.dataset == USER_DATASET
    assert files.result.object == ""
    assert files.status.visible
    status = files.status.object
    assert "Training on your data: points.csv: 6 points (3 to train on, 3 to test)" in status
    assert "it opens the Spiral dataset" in status
    assert files.back.visible
    assert files.back.name == "Back to Spiral"
    files.back.clicks += 1
    assert session.user_data is None
    assert session.loop.config.dataset == "spiral"
    assert not files.status.visible
    assert not files.back.visible


def test_the_status_follows_the_split_and_warns_of_points_off_the_view() -> None:
    session = Session()
    files = DataFiles(session=session)
    pick(files, "far.csv", "0,0,1\n10,10,-1\n1,1,1\n2,2,-1\n")
    assert "outside the output view" in files.status.object
    session.state.train_percent = 80
    assert "(3 to train on, 1 to test)" in files.status.object


def test_the_same_file_twice_is_read_twice() -> None:
    session = Session()
    files = DataFiles(session=session)
    pick(files, "points.csv", GOOD)
    session.loop.step()
    pick(files, "points.csv", GOOD)
    assert session.loop.epoch == 0
    assert session.topology == 2


@pytest.mark.parametrize(("error", "size", "fragment"), [
    ("too_big", 50 * 2**20, "The file is too big (50 MB): the limit is 2 MB"),
    ("not_text", 10, "not a CSV file: it is not text"),
    ("unreadable", 10, "could not read the file"),
    ("something else", 10, "could not read the file"),
])
def test_what_the_browser_refused_is_said(error: str, size: int, fragment: str) -> None:
    session = trained()
    before = snapshot(session)
    files = DataFiles(session=session)
    pick(files, "big.csv", size=size, error=error)
    assert fragment in files.result.object
    assert "big.csv: " in files.result.object
    assert "The data and weights are unchanged." in files.result.object
    assert 'role="status"' in files.result.object
    assert_unchanged(before, snapshot(session))


def test_a_refusal_is_text_never_html() -> None:
    files = DataFiles(session=Session())
    pick(files, "<img src=x onerror=alert(1)>.csv", "1,2,1\n3,<b>4</b>,-1\n")
    shown = files.result.object
    assert "<img" not in shown
    assert "<b>" not in shown
    assert "&lt;img src=x onerror=alert(1)&gt;.csv" in shown
    assert "&lt;b&gt;4&lt;/b&gt;" in shown


def test_the_playground_has_the_csv_input_in_the_data_card() -> None:
    app = Playground()
    doc = Document()
    doc.add_root(app.__panel__().get_root(doc))
    inputs = list(app.__panel__().select(TextFileInput))
    assert len(inputs) == 2  # and the saved model's
    assert app.data_files.open in inputs
    assert {i.accept for i in inputs} == {".csv,text/csv", ".json,application/json"}
    assert app.data_files.open.accept == ".csv,text/csv"
    assert app.data_files.open.label == LABEL == "Open your own data (CSV: x1, x2, label)"
    pick(app.data_files, "points.csv", GOOD)  # rendered: the views follow
    shown = {(float(x), float(y)) for source in (app.output.train_points, app.output.test_points)
             for x, y in zip(source.data["x"], source.data["y"], strict=True)}
    assert shown == {(a, b) for a, b, _ in GOOD_POINTS}
    assert app.data_files.status.visible


# the file input ---------------------------------------------------------------------------------
def test_the_file_input_checks_the_size_in_the_browser_before_reading() -> None:
    widget = TextFileInput(accept=".csv", label="Data", max_bytes=123)
    root = widget.get_root(Document())
    assert 'type="file"' in root.html.replace("&quot;", '"')
    data = root.data
    assert (data.accept, data.label, data.max_bytes) == (".csv", "Data", 123)
    size_check = PICK.index("file.size > data.max_bytes")
    assert size_check < PICK.index("arrayBuffer")  # refused before it is read
    assert 'TextDecoder("utf-8", {fatal: true})' in PICK


def test_read_upload() -> None:
    assert read_upload("") is None
    assert read_upload("not json") is None
    assert read_upload("[1]") is None
    picked = read_upload(upload_message("a.csv", "1,2,3"))
    assert (picked.name, picked.size, picked.text, picked.error) == ("a.csv", 5, "1,2,3", None)
    assert read_upload(upload_message("a.csv", size=9, error="too_big")).error == "too_big"
    assert read_upload(json.dumps({"name": 3, "size": "x", "error": "??"})).error == "unreadable"
    assert read_upload(json.dumps({"name": "a", "size": 1})).error == "unreadable"


def test_on_file_callbacks_get_every_pick() -> None:
    widget = TextFileInput()
    got = []
    widget.on_file(got.append)
    widget.upload = upload_message("a.csv", "x", n=1)
    widget.upload = upload_message("a.csv", "x", n=2)
    widget.upload = ""
    assert [p.text for p in got] == ["x", "x"]
