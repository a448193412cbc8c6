"""Your own data: a CSV file of x1, x2, label becomes the experiment's dataset ("user"), until
another dataset is chosen; anything unusable is refused with a reason and changes nothing, and
the learner is told so (playground.model.files)."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from playground.experiment import USER_DATASET, Config, build_trainer, save_model
from playground.model import session as session_module
from playground.model.files import Files, PickedFile
from playground.model.session import MAX_CSV_BYTES, Session, UserData, csv_size_problem
from playground.state import State

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


# what the learner is told -------------------------------------------------------------------
def test_a_picked_csv_trains_on_it_and_back_to_the_dataset_undoes_it() -> None:
    session = Session(State(dataset="spiral"))
    files = Files(session=session)
    files.open_data(PickedFile("points.csv", len(GOOD), text=GOOD))
    assert files.data_message == ""
    assert session.user_data.name == "points.csv"
    assert session.loop.config.dataset == USER_DATASET
    files.back_to_dataset = True
    assert session.user_data is None
    assert session.loop.config.dataset == "spiral"


def test_the_same_file_twice_is_read_twice() -> None:
    session = Session()
    files = Files(session=session)
    files.open_data(PickedFile("points.csv", len(GOOD), text=GOOD))
    session.loop.step()
    files.open_data(PickedFile("points.csv", len(GOOD), text=GOOD))
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
    files = Files(session=session)
    files.open_data(PickedFile("big.csv", size, error=error))
    assert fragment in files.data_message
    assert files.data_message.startswith("big.csv: ")
    assert files.data_message.endswith(" The data and weights are unchanged.")
    assert_unchanged(before, snapshot(session))


def test_a_refusal_names_the_file_short_and_printable() -> None:
    files = Files(session=Session())
    files.open_data(PickedFile("a\nb" + "x" * 100 + ".csv", 6, text="1,2\n"))
    name = files.data_message.split(": ", 1)[0]
    assert name.startswith("a?b")
    assert len(name) == 60
    assert name.endswith("…")
    assert "line 1: expected 3 columns" in files.data_message
