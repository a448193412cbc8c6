"""Each dataset is learned, with TF Playground's settings unless noted (seed 1, noise 0).

The tests run seed 1. Thresholds come from measuring seeds 1-6 (CPython, numpy 2.x); the
margins cover the spread between seeds, so a float-level difference elsewhere (another BLAS,
Pyodide) does not flip them:

    dataset     network, settings               epochs  test loss: start -> end (seeds 1-6)
    circle      4,2 tanh                        200     ~0.51 -> 0.003-0.007, accuracy 1.0
    xor         4,2 tanh                        200     ~0.50 -> 0.003-0.034, accuracy >= 0.98
    gauss       4,2 tanh                        50      ~0.50 -> ~0.001, accuracy 1.0
    spiral      8,8 tanh, lr 0.03               1000    ~0.52 -> 0.10-0.22, accuracy 0.84-0.94
    moons       4,2 tanh                        200     ~0.50 -> 0.001-0.004, accuracy 1.0
    spiral3     8,8 tanh, adam lr 0.01          300     ~1.15 -> 0.34-0.98, accuracy 0.59-0.85
    digits01    4 tanh                          30      ~0.60 -> 0.004-0.018, accuracy >= 0.99
    digits      16 tanh, adam lr 0.01           30      ~2.65 -> 0.09-0.16, accuracy >= 0.95
    plane       4,2 tanh (linear output)        50      ~0.14 -> ~0.001
    multigauss  8,8 tanh (linear output)        300     ~0.09 -> 0.012-0.014
"""

from __future__ import annotations

import pytest

from playground.experiment import Config, build_trainer

CASES = [  # dataset, settings, epochs, max test loss, min test accuracy
    ("circle", {}, 200, 0.03, 0.97),
    ("xor", {}, 200, 0.08, 0.95),
    ("gauss", {}, 50, 0.01, 0.99),
    ("spiral", {"hidden": (8, 8)}, 1000, 0.30, 0.78),
    ("moons", {}, 200, 0.02, 0.98),
    ("spiral3", {"hidden": (8, 8), "optimizer": "adam", "learning_rate": 0.01}, 300, 0.9,
     0.5),
    ("digits01", {"hidden": (4,)}, 30, 0.05, 0.97),
    ("digits", {"hidden": (16,), "optimizer": "adam", "learning_rate": 0.01}, 30, 0.3, 0.9),
    ("plane", {"problem": "regression"}, 50, 0.005, None),
    ("multigauss", {"problem": "regression", "hidden": (8, 8)}, 300, 0.025, None),
]


@pytest.mark.parametrize(("dataset", "settings", "epochs", "max_loss", "min_accuracy"), CASES,
                         ids=[c[0] for c in CASES])
def test_dataset_is_learned(dataset, settings, epochs, max_loss, min_accuracy) -> None:
    trainer = build_trainer(Config(dataset=dataset, seed=1, **settings))
    start = trainer.test_loss
    assert trainer.train(epochs)
    assert not trainer.diverged
    assert max_loss < start  # the threshold is progress, not the untrained network
    assert trainer.test_loss < max_loss
    if min_accuracy is None:
        assert trainer.test_accuracy is None
    else:
        assert trainer.test_accuracy >= min_accuracy


def test_momentum_and_adam_learn_circle_too() -> None:
    for optimizer, lr in (("momentum", 0.01), ("adam", 0.01)):
        trainer = build_trainer(Config(optimizer=optimizer, learning_rate=lr))
        trainer.train(100)
        assert trainer.test_accuracy >= 0.95, optimizer


def test_bce_learns_xor() -> None:
    trainer = build_trainer(Config(dataset="xor", loss="bce", learning_rate=0.3))
    trainer.train(200)
    assert trainer.test_accuracy >= 0.95
