"""The epoch's walk against a port of TensorFlow Playground's update loop (engine.batches).

`tf_playground` below follows src/playground.ts `oneStep` and src/nn.ts `backProp` and
`updateWeights` point by point: every training point is backpropagated and its gradients added
to sums (`accErrorDer`, `accInputDer`, counted in `numAccumulatedDers`); when
`(i + 1) % batchSize == 0`, i the point's index within the epoch, the weights move by the sums
over their count and the sums start again. Nothing clears them at an epoch's end, so a
remainder's gradients are applied with the next epoch's first batch.
"""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine.regularization import get_regularizer
from playground.engine.trainer import Trainer
from playground.experiment import Config, build_trainer


def tf_playground(weights: list[np.ndarray], biases: list[np.ndarray], x: np.ndarray,
                  t: np.ndarray, batch_size: int, lr: float, epochs: int,
                  regularization: str = "none", reg_rate: float = 0.0
                  ) -> tuple[list[float], list[np.ndarray], list[np.ndarray]]:
    """TF's loop for a tanh network (tanh output, squared error), one point at a time:
    (the training loss after every epoch, the final weights, the final biases)."""
    W = [w.copy() for w in weights]  # W[l][j, k]: the link from node j to node k
    b = [v.copy() for v in biases]
    acc_w = [np.zeros_like(w) for w in W]  # link.accErrorDer
    acc_b = [np.zeros_like(v) for v in b]  # node.accInputDer
    count = 0  # numAccumulatedDers (the same for every node and link)
    dead = [np.zeros(w.shape, dtype=bool) for w in W]  # link.isDead
    reg = get_regularizer(regularization)
    losses = []
    for _ in range(epochs):
        for i in range(len(x)):
            outputs = [x[i]]  # nn.forwardProp
            for w, v in zip(W, b, strict=True):
                outputs.append(np.tanh(outputs[-1] @ w + v))
            output_der = outputs[-1] - t[i]  # nn.backProp, Errors.SQUARE.der
            for layer in reversed(range(len(W))):
                input_der = output_der * (1.0 - outputs[layer + 1] ** 2)  # tanh's der
                acc_b[layer] += input_der
                acc_w[layer] += np.outer(outputs[layer], input_der)
                output_der = W[layer] @ input_der
            count += 1
            if (i + 1) % batch_size == 0:  # nn.updateWeights
                for layer in range(len(W)):
                    b[layer] -= lr * acc_b[layer] / count
                    regul_der = reg.der(W[layer])  # at the weight before the step
                    w = W[layer] - (lr / count) * acc_w[layer]
                    new = w - (lr * reg_rate) * regul_der
                    crossed = (w * new < 0) if reg.prunes else np.zeros(w.shape, dtype=bool)
                    new[crossed] = 0.0
                    dead[layer] |= crossed
                    W[layer] = np.where(dead[layer] & ~crossed, W[layer], new)
                    acc_w[layer][...] = 0.0
                    acc_b[layer][...] = 0.0
                count = 0
        out = x
        for w, v in zip(W, b, strict=True):
            out = np.tanh(out @ w + v)
        losses.append(float(np.mean(0.5 * np.sum((out - t) ** 2, axis=1))))  # getLoss
    return losses, W, b


def _ours_and_tf(batch_size: int, epochs: int, **settings: object
                 ) -> tuple[Trainer, tuple[list[float], list[np.ndarray], list[np.ndarray]]]:
    trainer = build_trainer(Config(batch_size=batch_size, **settings))  # circle: 250 points
    weights, biases = trainer.network.get_weights()
    reference = tf_playground(weights, biases, trainer.x_train, trainer.t_train, batch_size,
                              trainer.learning_rate, epochs, trainer.penalty.reg.name,
                              trainer.reg_rate)
    trainer.train(epochs)
    return trainer, reference


@pytest.mark.parametrize("batch_size", [7, 30, 10, 1, 250, 249])
def test_the_trainer_follows_tf_playground_s_update_rule(batch_size: int) -> None:
    trainer, (losses, W, b) = _ours_and_tf(batch_size, 6, noise=20, seed=3)
    assert len(trainer.x_train) == 250
    np.testing.assert_allclose(trainer.history.train_loss[1:], losses, rtol=0, atol=1e-12)
    for ours, theirs in zip(trainer.network.weights + trainer.network.biases, W + b,
                            strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)


@pytest.mark.parametrize("regularization", ["l1", "l2"])
def test_with_regularization_too(regularization: str) -> None:
    trainer, (losses, W, _) = _ours_and_tf(7, 5, noise=20, regularization=regularization,
                                           reg_rate=0.01, learning_rate=0.1)
    np.testing.assert_allclose(trainer.history.train_loss[1:], losses, rtol=0, atol=1e-12)
    for ours, theirs in zip(trainer.network.weights, W, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)
        np.testing.assert_array_equal(ours == 0, theirs == 0)  # the same weights pruned


def test_steps_train_epochs_and_the_step_through_walk_alike() -> None:
    """One step, three ways to take it: the same weights to the bit, epoch after epoch."""
    config = Config(batch_size=7, noise=10)
    by_epoch, by_steps, by_inspection = (build_trainer(config) for _ in range(3))
    sizes = []
    for _ in range(3):
        by_epoch.train_epoch()
        epoch = by_steps.epoch
        while by_steps.epoch == epoch:
            by_steps.train_step()
        done = False
        while not done:
            step = by_inspection.step_through()
            sizes.append(len(step.indices))
            done = step.epoch_done
        for a, b, c in zip(by_epoch.network.params(), by_steps.network.params(),
                           by_inspection.network.params(), strict=True):
            np.testing.assert_array_equal(a, b)
            np.testing.assert_array_equal(a, c)
    assert sizes == [7] * 35 + ([12] + [7] * 34) * 2  # 250 = 35 * 7 + 5
    assert by_epoch.history.as_dict() == by_steps.history.as_dict() \
        == by_inspection.history.as_dict()


def test_a_run_begun_by_steps_is_finished_by_train_epoch() -> None:
    a, b = build_trainer(Config(batch_size=30)), build_trainer(Config(batch_size=30))
    a.train(1)
    for _ in range(3):
        a.train_step()  # 40 rows (10 waiting, 30 new), then 30 and 30
    a.train_epoch()
    b.train(2)
    for p, q in zip(a.network.params(), b.network.params(), strict=True):
        np.testing.assert_array_equal(p, q)


def test_shuffle_walks_every_row_once_an_epoch_and_carries_the_remainder() -> None:
    trainer = build_trainer(Config(batch_size=30, shuffle=True))
    first = [trainer.step_through().indices for _ in range(trainer.n_batches)]
    assert trainer.epoch == 1
    walked = np.concatenate(first)
    assert len(walked) == 240
    assert len(set(walked.tolist())) == 240
    left = sorted(set(range(250)) - set(walked.tolist()))  # the 10 waiting
    second = [trainer.step_through().indices for _ in range(trainer.n_batches)]
    assert sorted(second[0][:10].tolist()) == left
    assert len(second[0]) == 40
    assert np.concatenate(second)[10:].tolist() != walked.tolist()  # a new order
    assert trainer.epoch == 2


def test_a_batch_size_changed_mid_epoch_batches_the_rest() -> None:
    trainer = build_trainer(Config(batch_size=10))
    for _ in range(3):
        trainer.train_step()  # rows 0-29
    trainer.batch_size = 7
    assert trainer.step_through().indices.tolist() == list(range(30, 35))  # up to 35 = 5 * 7
    assert trainer.step_through().indices.tolist() == list(range(35, 42))
    trainer.batch_size = 500  # more than the training set: the rest of the epoch at once
    step = trainer.step_through()
    assert step.indices.tolist() == list(range(42, 250))
    assert step.epoch_done
    assert trainer.step_through().indices.tolist() == list(range(250))  # then all of it
