"""The trainer: one step phase by phase, epochs, determinism, divergence, bounded history."""

from __future__ import annotations

import math

import numpy as np
import pytest

from playground.engine.network import Network
from playground.engine.optimizers import SGD, make_optimizer
from playground.engine.trainer import History, Trainer


def _data(n: int = 60, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(-5, 5, size=(n, 2))
    return x, np.where(np.hypot(x[:, 0], x[:, 1]) < 2.5, 1.0, -1.0)


def _trainer(seed: int = 0, lr: float = 0.03, batch_size: int = 10, shuffle: bool = False,
             optimizer: str = "sgd", hidden=(4, 2), activation: str = "tanh",
             regularization: str = "none", reg_rate: float = 0.0, n: int = 60) -> Trainer:
    x, y = _data(n)
    rng = np.random.default_rng(seed)
    net = Network([2, *hidden, 1], activation, output_activation="tanh", init="tfp", rng=rng)
    return Trainer(net, "squared", make_optimizer(optimizer, lr), x[: n // 2], y[: n // 2],
                   x[n // 2:], y[n // 2:], batch_size=batch_size, rng=rng,
                   regularization=regularization, reg_rate=reg_rate, shuffle=shuffle)


def test_step_through_gives_each_phase_and_sgd_update_is_exact() -> None:
    trainer = _trainer(lr=0.1)
    step = trainer.step_through()
    np.testing.assert_array_equal(step.indices, np.arange(10))  # the first minibatch, in order
    np.testing.assert_array_equal(step.x, trainer.x_train[:10])
    assert [a.shape for a in step.activations] == [(10, 2), (10, 4), (10, 2), (10, 1)]
    np.testing.assert_array_equal(step.activations[-1], step.output)
    assert step.loss_per_sample.shape == (10,)
    assert step.loss == pytest.approx(step.loss_per_sample.mean())
    assert [g.shape for g in step.dW] == [(2, 4), (4, 2), (2, 1)]
    for w0, w1, dw in zip(step.weights_before, step.weights_after, step.dW, strict=True):
        np.testing.assert_array_equal(w1, w0 - 0.1 * dw)
    for b0, b1, db in zip(step.biases_before, step.biases_after, step.db, strict=True):
        np.testing.assert_array_equal(b1, b0 - 0.1 * db)
    assert step.lr == 0.1
    assert not step.epoch_done
    assert trainer.step_through().indices.tolist() == list(range(10, 20))  # then the next


def test_step_pieces_are_copies() -> None:
    trainer = _trainer()
    step = trainer.step_through()
    trainer.train_epoch()
    assert not np.array_equal(step.weights_after[0], trainer.network.weights[0])
    assert step.dW[0] is not trainer.network.layers[0].dW


def test_steps_add_up_to_an_epoch() -> None:
    by_steps, by_epoch = _trainer(), _trainer()
    losses = [by_steps.train_step() for _ in range(3)]  # 30 training points, batch 10
    assert all(np.isfinite(losses))
    assert by_steps.epoch == 1
    by_epoch.train_epoch()
    assert by_epoch.epoch == 1
    for a, b in zip(by_steps.network.params(), by_epoch.network.params(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert by_steps.history.train_loss == by_epoch.history.train_loss


def test_train_epoch_finishes_an_epoch_begun_by_steps() -> None:
    a, b = _trainer(), _trainer()
    a.train_step()
    a.train_epoch()
    b.train_epoch()
    assert a.epoch == b.epoch == 1
    np.testing.assert_array_equal(a.network.weights[0], b.network.weights[0])


def test_explicit_batch_indices_leave_the_epoch_alone() -> None:
    trainer = _trainer(lr=0.5)
    step = trainer.step_through(batch_indices=[3, 1])
    assert step.indices.tolist() == [3, 1]
    np.testing.assert_array_equal(step.x, trainer.x_train[[3, 1]])
    assert trainer.step_through().indices.tolist() == list(range(10))
    with pytest.raises(ValueError, match="training-set rows"):
        trainer.train_step(batch_indices=[100])


def test_history_records_every_epoch_from_zero() -> None:
    trainer = _trainer()
    assert trainer.history.epochs == [0]  # the untrained network
    trainer.train(5)
    h = trainer.history
    assert h.epochs == [0, 1, 2, 3, 4, 5]
    assert trainer.epoch == 5
    assert len(h.train_loss) == len(h.test_loss) == len(h.train_accuracy) == 6
    assert all(0 <= a <= 1 for a in h.test_accuracy)
    assert trainer.test_loss == h.test_loss[-1]


def test_a_remainder_waits_for_the_next_epoch_s_first_batch() -> None:
    """TF Playground's rule (engine.batches): 30 = 4 * 7 + 2, so rows 28 and 29 wait."""
    trainer = _trainer(batch_size=7)
    assert trainer.n_batches == 4
    steps = [trainer.step_through() for _ in range(4)]
    assert [len(s.indices) for s in steps] == [7, 7, 7, 7]
    assert steps[-1].epoch_done
    assert trainer.epoch == 1
    steps = [trainer.step_through() for _ in range(4)]
    assert steps[0].indices.tolist() == [28, 29, *range(7)]
    assert [len(s.indices) for s in steps] == [9, 7, 7, 7]
    assert trainer.epoch == 2


def test_same_seed_same_losses_and_another_seed_differs() -> None:
    runs = [_trainer(seed=s, shuffle=sh) for s, sh in ((1, False), (1, False), (2, False),
                                                       (1, True), (1, True))]
    for t in runs:
        t.train(20)
    assert runs[0].history.train_loss == runs[1].history.train_loss
    assert runs[0].history.train_loss != runs[2].history.train_loss
    assert runs[3].history.train_loss == runs[4].history.train_loss
    assert runs[3].history.train_loss != runs[0].history.train_loss  # shuffling changes order


def test_shuffle_draws_a_new_order_every_epoch() -> None:
    trainer = _trainer(shuffle=True)
    first = np.concatenate([trainer.step_through().indices for _ in range(3)])
    second = np.concatenate([trainer.step_through().indices for _ in range(3)])
    assert sorted(first) == sorted(second) == list(range(30))
    assert first.tolist() != second.tolist()


def test_learning_rate_changes_between_steps() -> None:
    trainer = _trainer(optimizer="momentum")
    trainer.train_epoch()
    trainer.learning_rate = 0.3
    assert trainer.optimizer.lr == 0.3
    step = trainer.step_through()
    assert step.lr == 0.3
    assert len(trainer.optimizer.v) == 6  # state kept


def test_divergence_stops_training_and_keeps_finite_weights() -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(-6, 6, size=(100, 2))
    y = (x[:, 0] + x[:, 1]) / 10
    net = Network([2, *[8] * 6, 1], "relu", output_activation="linear", init="tfp", rng=rng)
    trainer = Trainer(net, "squared", SGD(10.0), x[:50], y[:50], x[50:], y[50:], rng=rng,
                      problem="regression")
    results = [trainer.train_epoch() for _ in range(10)]
    assert trainer.diverged
    assert results[-1] is False
    assert "diverged" in trainer.message
    assert all(np.isfinite(p).all() for p in net.params())
    assert all(np.isfinite(trainer.history.train_loss))
    epoch, weights = trainer.epoch, net.get_weights()[0]
    assert trainer.train_epoch() is False  # stays stopped
    assert np.isnan(trainer.train_step())
    assert trainer.epoch == epoch
    np.testing.assert_array_equal(net.weights[0], weights[0])
    step = trainer.step_through()  # still inspectable, never updates
    assert step.diverged
    np.testing.assert_array_equal(step.weights_after[0], step.weights_before[0])


def test_predict_and_evaluate() -> None:
    trainer = _trainer()
    trainer.train(10)
    out = trainer.predict(trainer.x_test)
    assert out.shape == (30, 1)
    loss, acc = trainer.evaluate(trainer.x_test, _data()[1][30:])
    assert loss == pytest.approx(trainer.test_loss)
    assert acc == trainer.test_accuracy
    with pytest.raises(ValueError, match="x_eval must have shape"):
        trainer.evaluate(np.ones((3, 3)), np.ones(3))


def test_regression_records_no_accuracy() -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(-6, 6, size=(40, 2))
    y = (x[:, 0] + x[:, 1]) / 10
    net = Network([2, 3, 1], "tanh", output_activation="linear", init="tfp", rng=rng)
    trainer = Trainer(net, "squared", SGD(0.03), x[:20], y[:20], x[20:], y[20:],
                      problem="regression")
    trainer.train(3)
    assert trainer.history.test_accuracy == [None] * 4
    assert trainer.test_accuracy is None


def test_bad_inputs() -> None:
    x, y = _data()
    net = Network([2, 3, 1])
    with pytest.raises(ValueError, match=r"x_train must have shape \(N, 2\)"):
        Trainer(net, "squared", SGD(), np.ones((5, 3)), np.ones(5), x, y)
    with pytest.raises(ValueError, match="does not fit"):
        Trainer(net, "squared", SGD(), x, y[:5], x, y)
    with pytest.raises(ValueError, match="batch_size"):
        Trainer(net, "squared", SGD(), x, y, x, y, batch_size=0)
    with pytest.raises(ValueError, match="unknown problem"):
        Trainer(net, "squared", SGD(), x, y, x, y, problem="ranking")


def test_history_is_bounded_and_keeps_its_ends() -> None:
    h = History(max_points=100)
    for epoch in range(1000):
        h.append(epoch, float(epoch), float(epoch), None, None)
    assert len(h) <= 100
    assert h.epochs[0] == 0
    assert h.epochs[-1] == 999
    assert h.epochs == sorted(h.epochs)
    assert h.epochs[-10:] == list(range(990, 1000))  # recent points at full resolution
    assert h.train_loss == [float(e) for e in h.epochs]  # the lists stay parallel


def test_trainer_history_is_capped() -> None:
    trainer = _trainer(n=20)
    trainer.history = History(max_points=50)
    trainer.train(200)
    assert len(trainer.history) <= 50
    assert trainer.history.epochs[-1] == 200


def test_reevaluate_shows_the_loss_of_weights_set_by_hand() -> None:
    from playground.experiment import Config, build_trainer

    trainer = build_trainer(Config(seed=3))
    trainer.train(5)
    before = trainer.train_loss
    trainer.network.layers[-1].W[...] = 0.0
    trainer.network.layers[-1].b[...] = 0.0  # output tanh(0) = 0: squared error exactly 0.5
    trainer.reevaluate()
    assert trainer.train_loss == pytest.approx(0.5)
    assert trainer.train_loss != before
    assert len(trainer.history) == 6  # the latest record was replaced, not added


def test_loading_weights_starts_a_new_run_as_a_new_trainer_would() -> None:
    """No state of the run before survives a load: L1's pruned weights, Adam's moments, a
    remainder waiting for the next epoch, the history."""
    from playground.experiment import Config, build_trainer

    config = Config(regularization="l1", reg_rate=0.3, learning_rate=0.1, optimizer="adam",
                    batch_size=7)
    used = build_trainer(config)
    used.train(30)
    pruned = [w == 0 for w in used.network.weights]
    assert sum(int(m.sum()) for m in pruned) > 5  # L1 pruned some for good
    weights, biases = build_trainer(config.replace(seed=9)).network.get_weights()
    assert all((w != 0).all() for w in weights)
    fresh = build_trainer(config)
    for trainer in (used, fresh):
        trainer.load_weights(weights, biases, epoch=4)
        assert trainer.history.epochs == [4]
        assert trainer.optimizer.t == 0
    step = used.step_through()
    assert step.indices.tolist() == list(range(7))  # a new epoch, nothing waiting
    for mask, w in zip(pruned, used.network.weights, strict=True):
        assert (w[mask] != 0).all()  # the loaded weights move as any other
    fresh.train_step()
    for _ in range(2):
        used.train_epoch()
        fresh.train_epoch()
    for a, b in zip(used.network.params(), fresh.network.params(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert used.history.as_dict() == fresh.history.as_dict()


def test_loaded_weights_with_an_infinite_loss_are_kept_and_named() -> None:
    from playground.experiment import Config, build_trainer

    trainer = build_trainer(Config(dataset="plane", problem="regression", hidden=(3,)))
    trainer.train(2)
    good = trainer.network.get_weights()
    weights, biases = [w.copy() for w in good[0]], [b.copy() for b in good[1]]
    weights[-1][...], biases[-1][...] = 1e300, 1e300  # outputs of 1e300: the loss overflows
    trainer.load_weights(weights, biases, epoch=7)
    assert trainer.diverged
    assert trainer.diverged_epoch is None  # nothing was trained, so nothing diverged
    assert trainer.divergence == "the loss is infinite"
    assert trainer.message.startswith("The loaded weights cannot be trained: the loss is "
                                      "infinite")
    assert trainer.train_loss == math.inf
    assert trainer.epoch == 7
    assert trainer.train_epoch() is False
    for mine, loaded in zip(trainer.network.weights, weights, strict=True):
        np.testing.assert_array_equal(mine, loaded)  # kept, not replaced by the last run's
    trainer.load_weights(*good, epoch=2)  # finite weights train again
    assert not trainer.diverged
    assert trainer.message == ""
    assert trainer.train_epoch()
