"""The registries' names (engine.choices): every spelling names one entry; registering a new
activation (a plugin's) adds it to the engine, refused when a spelling is taken."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine import activations
from playground.engine.activations import (
    ACTIVATIONS,
    OUTPUT_ACTIVATIONS,
    Activation,
    get_activation,
    register_activation,
)
from playground.engine.choices import Choice, lookup, offered, registry
from playground.engine.initializers import INITIALIZERS
from playground.engine.losses import LOSSES
from playground.engine.optimizers import OPTIMIZERS, make_optimizer
from playground.engine.problems import PROBLEMS
from playground.engine.regularization import REGULARIZERS, get_regularizer

TABLES = {"activation": ACTIVATIONS, "loss": LOSSES, "optimizer": OPTIMIZERS,
          "regularization": REGULARIZERS, "init": INITIALIZERS, "problem": PROBLEMS}


@pytest.mark.parametrize("kind", list(TABLES))
def test_every_entry_is_named_shown_and_explained(kind: str) -> None:
    for name, entry in TABLES[kind].items():
        assert isinstance(entry, Choice)
        assert entry.name == name
        assert entry.label, name
        assert entry.doc, name
        for spelling in entry.spellings:
            assert lookup(TABLES[kind], spelling) == name


def test_a_choice_is_spelled_as_tensorflow_playground_spells_it_where_it_has_it() -> None:
    assert REGULARIZERS["l1"].url == "L1"
    assert REGULARIZERS["l1"].cli == "L1"
    assert REGULARIZERS["l1"].spellings == ("l1", "L1")
    assert ACTIVATIONS["leaky_relu"].tf_name is None  # ours: the link uses our name
    assert ACTIVATIONS["leaky_relu"].url == "leaky_relu"
    assert Choice("x", cli_name="ex").spellings == ("x", "ex")
    assert lookup(REGULARIZERS, "L3") is None
    assert lookup(REGULARIZERS, None) is None


def test_a_spelling_taken_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="'b': the spelling 'a' names 'a' already"):
        registry([Choice("a"), Choice("b", tf_name="a")])


def test_the_page_offers_what_each_entry_says() -> None:
    assert list(offered(INITIALIZERS)) == ["tfp", "zeros"]
    assert "bce" not in offered(LOSSES)


def test_the_implementations_are_found_by_name_as_before() -> None:
    W, b = INITIALIZERS["tfp"](2, 3, np.random.default_rng(0))
    assert W.shape == (2, 3)
    assert make_optimizer("adam", 0.1).lr == 0.1
    assert get_regularizer("L2") is REGULARIZERS["l2"]
    assert get_regularizer("NONE") is REGULARIZERS["none"]


@pytest.fixture
def clean_registry():
    before = dict(ACTIVATIONS), dict(OUTPUT_ACTIVATIONS)
    yield
    for table, saved in zip((ACTIVATIONS, OUTPUT_ACTIVATIONS), before, strict=True):
        table.clear()
        table.update(saved)


@pytest.mark.usefixtures("clean_registry")
def test_a_registered_activation_is_the_engines() -> None:
    cube = register_activation(Activation("cube", lambda x: x**3, lambda x, y: 3 * x * x,
                                          label="Cube", doc="cubes."))
    assert get_activation("cube") is cube
    assert get_activation("cube", output=True) is cube
    assert activations.ACTIVATIONS["cube"] is cube


@pytest.mark.usefixtures("clean_registry")
@pytest.mark.parametrize(("activation", "message"), [
    (Activation("relu2", np.abs, None), "needs its derivative"),
    (Activation("softmax", np.abs, lambda x, y: 1.0), "the output layer's"),
    (Activation("mine", np.abs, lambda x, y: 1.0, tf_name="relu"), "names 'relu' already"),
])
def test_an_activation_that_cannot_be_one_is_refused(activation: Activation,
                                                    message: str) -> None:
    with pytest.raises(ValueError, match=message):
        register_activation(activation)
    assert activation.name not in ACTIVATIONS
