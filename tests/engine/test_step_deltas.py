"""The step-through's backward pieces: each layer's error signal (delta = dL/dz), where it
came from (dL/da and f'(z)), and the minibatch's loss after the update, checked against a
backward pass written out here by hand from the weights before the step."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine.network import Network
from playground.engine.optimizers import make_optimizer
from playground.engine.trainer import Trainer

TOL = 1e-12


def _trainer(problem: str = "classification", classes: int = 2, hidden=(4, 2),
             activation: str = "tanh", batch_size: int = 10, optimizer: str = "sgd",
             seed: int = 0) -> Trainer:
    rng = np.random.default_rng(seed)
    x = rng.uniform(-5, 5, size=(60, 2))
    if problem == "regression":
        y, loss, out, n_out = (x[:, 0] - x[:, 1]) / 10, "squared", "linear", 1
    elif classes == 2:
        y, loss, out, n_out = np.where(np.hypot(*x.T) < 2.5, 1.0, -1.0), "squared", "tanh", 1
    else:
        y = (np.floor(np.arctan2(x[:, 1], x[:, 0]) / (2 * np.pi) * classes) % classes)
        loss, out, n_out = "softmax_ce", "softmax", classes
    net = Network([2, *hidden, n_out], activation, output_activation=out, init="tfp", rng=rng)
    return Trainer(net, loss, make_optimizer(optimizer, 0.03), x[:30], y[:30], x[30:], y[30:],
                   batch_size=batch_size, rng=rng, problem=problem)


DERIVATIVES = {"tanh": lambda z: 1 - np.tanh(z) ** 2, "relu": lambda z: (z > 0) * 1.0,
               "sigmoid": lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2,
               "linear": lambda z: np.ones_like(z)}


def by_hand(step, hidden_activation: str, output: str) -> dict[str, list]:
    """Forward and backward written out from the weights before the step: per-point deltas
    (dL_n/dz), the upstream sums, the derivatives and the gradients of the mean loss."""
    a, zs = [step.x], []
    for k, (w, b) in enumerate(zip(step.weights_before, step.biases_before, strict=True)):
        z = a[-1] @ w + b
        zs.append(z)
        last = k == len(step.weights_before) - 1
        name = output if last else hidden_activation
        if name == "softmax":
            e = np.exp(z - z.max(axis=1, keepdims=True))
            a.append(e / e.sum(axis=1, keepdims=True))
        else:
            a.append({"tanh": np.tanh, "relu": lambda v: np.maximum(v, 0),
                      "sigmoid": lambda v: 1 / (1 + np.exp(-v)), "linear": lambda v: v}[name](z))
    t, n = step.targets, len(step.x)
    layers = len(zs)
    deltas, upstream, derivatives = [None] * layers, [None] * layers, [None] * layers
    if output == "softmax":  # fused: the error at z is p - t
        deltas[-1] = a[-1] - t
    else:  # squared error: dL_n/da = a - t, through f'(z)
        upstream[-1] = a[-1] - t
        derivatives[-1] = DERIVATIVES[output](zs[-1])
        deltas[-1] = upstream[-1] * derivatives[-1]
    for k in range(layers - 2, -1, -1):
        upstream[k] = deltas[k + 1] @ step.weights_before[k + 1].T  # sum_j w_kj delta_j
        derivatives[k] = DERIVATIVES[hidden_activation](zs[k])
        deltas[k] = upstream[k] * derivatives[k]
    dW = [a[k].T @ deltas[k] / n for k in range(layers)]
    return {"a": a, "z": zs, "deltas": deltas, "upstream": upstream,
            "derivatives": derivatives, "dW": dW, "db": [d.mean(axis=0) for d in deltas]}


CASES = [("classification", 2, "tanh", "tanh"), ("classification", 2, "relu", "tanh"),
         ("classification", 3, "tanh", "softmax"), ("classification", 4, "sigmoid", "softmax"),
         ("regression", 2, "tanh", "linear")]


@pytest.mark.parametrize(("problem", "classes", "hidden_activation", "output"), CASES)
def test_deltas_are_the_backward_pass_s_and_equal_a_backward_by_hand(
        problem: str, classes: int, hidden_activation: str, output: str) -> None:
    trainer = _trainer(problem, classes, activation=hidden_activation)
    trainer.train_epoch()  # weights that are not the initial ones
    step = trainer.step_through()
    hand = by_hand(step, hidden_activation, output)
    n = len(step.x)
    assert [d.shape for d in step.deltas] == [z.shape for z in step.pre_activations]
    for k in range(len(step.deltas)):
        np.testing.assert_allclose(step.pre_activations[k], hand["z"][k], rtol=0, atol=TOL)
        np.testing.assert_allclose(step.activations[k + 1], hand["a"][k + 1], rtol=0, atol=TOL)
        # the rows are 1/B of each point's own error signal
        np.testing.assert_allclose(n * step.deltas[k], hand["deltas"][k], rtol=0, atol=TOL)
        np.testing.assert_allclose(step.dW[k], hand["dW"][k], rtol=0, atol=TOL)
        np.testing.assert_allclose(step.db[k], hand["db"][k], rtol=0, atol=TOL)
        # computed in the same backward pass: the gradients are made from these very deltas
        np.testing.assert_array_equal(step.dW[k], step.activations[k].T @ step.deltas[k])
        np.testing.assert_array_equal(step.db[k], step.deltas[k].sum(axis=0))
        if hand["upstream"][k] is None:
            assert step.upstream[k] is None
            assert step.derivatives[k] is None
        else:
            np.testing.assert_allclose(n * step.upstream[k], hand["upstream"][k], rtol=0,
                                       atol=TOL)
            np.testing.assert_allclose(step.derivatives[k], hand["derivatives"][k], rtol=0,
                                       atol=TOL)
            np.testing.assert_array_equal(step.deltas[k],
                                          step.upstream[k] * step.derivatives[k])


def test_the_pieces_are_copies_and_the_layers_keep_their_last_backward() -> None:
    trainer = _trainer()
    step = trainer.step_through()
    trainer.train_epoch()
    for layer, delta in zip(trainer.network.layers, step.deltas, strict=True):
        assert layer.dz is not delta
        assert not np.array_equal(layer.dz[: len(delta)], delta)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_the_loss_after_is_the_same_minibatch_through_the_new_weights(optimizer: str) -> None:
    trainer = _trainer(optimizer=optimizer)
    step = trainer.step_through()
    a = step.x
    for w, b in zip(step.weights_after, step.biases_after, strict=True):
        a = np.tanh(a @ w + b)
    per_point = 0.5 * ((a - step.targets) ** 2).sum(axis=1)
    np.testing.assert_allclose(step.loss_per_sample_after, per_point, rtol=0, atol=TOL)
    assert step.loss_after == pytest.approx(per_point.mean(), abs=TOL)
    assert step.loss_after < step.loss  # a small step downhill lowers this batch's loss
    assert trainer.evaluate(step.x, step.targets[:, 0])[0] == pytest.approx(step.loss_after,
                                                                           abs=TOL)


def test_each_step_says_which_minibatch_of_which_epoch_it_is() -> None:
    trainer = _trainer(batch_size=7)  # 30 points: 4 minibatches, 2 rows wait each epoch
    steps = [trainer.step_through() for _ in range(8)]
    assert [(s.epoch, s.batch, s.batches) for s in steps] == (
        [(1, k, 4) for k in (1, 2, 3, 4)] + [(2, k, 4) for k in (1, 2, 3, 4)])
    assert trainer.step_through(batch_indices=[3, 1]).batch == 0
