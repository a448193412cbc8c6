"""The network: end-to-end gradient checks, shapes, limits, weights in and out."""

from __future__ import annotations

import numpy as np
import pytest
from gradcheck import TOLERANCE, numeric_grad, rel_error

from playground.engine.losses import get_loss
from playground.engine.network import Network

CASES = [  # sizes, hidden activation(s), loss, labels
    ([2, 4, 2, 1], "tanh", "squared", "binary"),  # TF Playground's default
    ([3, 5, 1], "sigmoid", "bce", "binary"),
    ([2, 6, 5, 3], ["relu", "gelu"], "softmax_ce", "three"),
    ([4, 3, 3, 3, 1], ["elu", "softplus", "leaky_relu"], "squared", "binary"),
    ([2, 1], [], "squared", "binary"),  # no hidden layer
]


@pytest.mark.parametrize(("sizes", "activation", "loss_name", "labels"), CASES)
def test_end_to_end_gradients_match_finite_differences(sizes, activation, loss_name,
                                                       labels) -> None:
    rng = np.random.default_rng(3)
    loss = get_loss(loss_name)
    out_act = "tanh" if loss_name == "squared" else loss.output_activation
    net = Network(sizes, activation, output_activation=out_act, init="xavier", rng=rng)
    for b in net.biases:
        b += rng.normal(scale=0.3, size=b.shape)
    x = rng.normal(size=(6, sizes[0]))
    y = (np.array([0, 1, 2, 0, 1, 2.0]) if labels == "three"
         else np.where(rng.random(6) > 0.5, 1.0, -1.0))
    t = loss.targets(y, 3 if labels == "three" else 2)

    def value() -> float:
        return loss.value(net.forward(x), t)

    net.backward(loss.grad(net.forward(x), t), loss.fused)
    analytic = [g.copy() for g in net.grads()]
    for p, g in zip(net.params(), analytic, strict=True):
        assert rel_error(g, numeric_grad(value, p)) < TOLERANCE


def test_regression_network_gradients() -> None:
    rng = np.random.default_rng(4)
    net = Network([2, 8, 8, 1], "tanh", output_activation="linear", init="tfp", rng=rng)
    x, y = rng.normal(size=(5, 2)), rng.normal(size=(5, 1))
    loss = get_loss("squared")
    net.backward(loss.grad(net.forward(x), y))
    for p, g in zip(net.params(), [g.copy() for g in net.grads()], strict=True):
        assert rel_error(g, numeric_grad(lambda: loss.value(net.forward(x), y), p)) < TOLERANCE


def test_forward_shapes_and_activations_for_a_view() -> None:
    net = Network([2, 4, 2, 1], "tanh", output_activation="tanh", init="tfp",
                  rng=np.random.default_rng(0))
    grid = np.random.default_rng(1).uniform(-6, 6, size=(100, 2))
    out = net.forward(grid)
    assert out.shape == (100, 1)
    acts = net.activations
    assert [a.shape for a in acts] == [(100, 2), (100, 4), (100, 2), (100, 1)]
    assert acts[0] is grid
    assert acts[-1] is out
    assert net.n_params == 2 * 4 + 4 + 4 * 2 + 2 + 2 * 1 + 1
    assert net.activation_names == ["tanh", "tanh", "tanh"]


def test_per_layer_activations() -> None:
    net = Network([2, 3, 3, 1], ["relu", "sigmoid"], output_activation="linear", init="tfp",
                  rng=np.random.default_rng(0))
    assert net.activation_names == ["relu", "sigmoid", "linear"]
    with pytest.raises(ValueError, match="2 activations for 1 hidden"):
        Network([2, 3, 1], ["relu", "tanh"])


@pytest.mark.parametrize("hidden", [[], [1], [16], [16] * 8, [1] * 8, [3, 16, 1]])
def test_every_allowed_shape_trains(hidden: list[int]) -> None:
    rng = np.random.default_rng(0)
    net = Network([2, *hidden, 1], "tanh", output_activation="tanh", init="tfp", rng=rng)
    x = rng.normal(size=(10, 2))
    net.backward(net.forward(x) - 1.0)
    assert all(np.isfinite(g).all() for g in net.grads())


@pytest.mark.parametrize(("sizes", "message"), [
    ([2, 0, 1], "at least 1 neuron"),
    ([2], "at least an input and an output"),
    ([0, 1], "at least one input"),
])
def test_shapes_that_are_no_network_are_value_errors(sizes, message) -> None:
    with pytest.raises(ValueError, match=message):
        Network(sizes)


def test_how_large_a_network_may_be_is_the_configurations() -> None:
    """The engine computes any size; a Config says what a setup may ask for (experiment's
    HIDDEN_LAYERS and NEURONS)."""
    net = Network([2, *[3] * 9, 17, 1], rng=np.random.default_rng(0))
    assert net.forward(np.zeros((4, 2))).shape == (4, 1)


def test_same_generator_seed_same_network() -> None:
    a = Network([2, 8, 8, 1], rng=np.random.default_rng(5))
    b = Network([2, 8, 8, 1], rng=np.random.default_rng(5))
    c = Network([2, 8, 8, 1], rng=np.random.default_rng(6))
    for wa, wb in zip(a.weights, b.weights, strict=True):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a.weights[0], c.weights[0])


def test_get_and_set_weights_copy_and_check_shapes() -> None:
    net = Network([2, 3, 1], rng=np.random.default_rng(0))
    weights, biases = net.get_weights()
    weights[0][0, 0] = 99.0
    assert net.weights[0][0, 0] != 99.0  # a copy
    params_before = net.params()
    net.set_weights([np.ones((2, 3)), np.full((3, 1), 2.0)], [np.zeros(3), [0.5]])
    assert net.params() is params_before  # set in place: an optimizer's list stays valid
    assert net.weights[1][2, 0] == 2.0
    assert net.biases[1][0] == 0.5
    with pytest.raises(ValueError, match=r"layer 1: expected weights \(2, 3\)"):
        net.set_weights([np.ones((3, 2)), np.ones((3, 1))], [np.zeros(3), np.zeros(1)])
    with pytest.raises(ValueError, match="expected 2 weight matrices"):
        net.set_weights([np.ones((2, 3))], [np.zeros(3)])
    with pytest.raises(ValueError, match="finite"):
        net.set_weights([np.full((2, 3), np.nan), np.ones((3, 1))], [np.zeros(3), np.zeros(1)])
    with pytest.raises(ValueError, match="numbers"):
        net.set_weights([[["a", "b", "c"]] * 2, np.ones((3, 1))], [np.zeros(3), np.zeros(1)])
    assert net.weights[1][2, 0] == 2.0  # failed sets change nothing


def test_activations_before_any_forward() -> None:
    with pytest.raises(RuntimeError, match="no forward pass"):
        _ = Network([2, 1]).activations
