"""Activation functions as value/derivative pairs, as TensorFlow Playground's nn.ts has them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class Activation:
    """y = f(x) elementwise, and its derivative.

    `df(x, y)` returns dy/dx elementwise, given both the input x and the output y = f(x), so each
    derivative can use whichever is cheaper (tanh's is 1 - y^2, relu's is [x > 0]).
    `df` is None for softmax, which is not elementwise: it is only used fused with
    cross-entropy, whose gradient is taken with respect to x directly (see losses.py).
    """

    name: str
    f: Callable[[Array], Array]
    df: Callable[[Array, Array], Array | float] | None
    label: str = ""

    def __reduce__(self) -> tuple:
        """Pickled by name: a trainer handed to another interpreter finds the same one."""
        return (get_activation, (self.name, True))


# --- TensorFlow Playground's four -----------------------------------------------------------
def _tanh_df(x: Array, y: Array) -> Array:
    return 1.0 - y * y  # tanh'(x) = 1 - tanh(x)^2


def _relu(x: Array) -> Array:
    return np.maximum(x, 0.0)


def _relu_df(x: Array, y: Array) -> Array:
    return x > 0  # 1 where x > 0, else 0 (0 at the kink, as TF: `x <= 0 ? 0 : 1`)


def _sigmoid(x: Array) -> Array:
    return 0.5 + 0.5 * np.tanh(0.5 * x)  # = 1 / (1 + e^-x), without overflow for large |x|


def _sigmoid_df(x: Array, y: Array) -> Array:
    return y * (1.0 - y)  # s'(x) = s(x) (1 - s(x))


def _linear(x: Array) -> Array:
    return x


def _linear_df(x: Array, y: Array) -> float:
    return 1.0  # the identity's slope, everywhere


# --- more ------------------------------------------------------------------------------------
LEAKY_SLOPE = 0.01


def _leaky_relu(x: Array) -> Array:
    return np.where(x > 0, x, LEAKY_SLOPE * x)


def _leaky_relu_df(x: Array, y: Array) -> Array:
    return np.where(x > 0, 1.0, LEAKY_SLOPE)  # 1 for x > 0, else the leak slope


def _elu(x: Array) -> Array:
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0.0)))  # alpha = 1


def _elu_df(x: Array, y: Array) -> Array:
    return np.where(x > 0, 1.0, y + 1.0)  # for x <= 0: d/dx (e^x - 1) = e^x = y + 1


def _softplus(x: Array) -> Array:
    return np.logaddexp(0.0, x)  # log(1 + e^x), stable


def _softplus_df(x: Array, y: Array) -> Array:
    return _sigmoid(x)  # d/dx log(1 + e^x) = sigmoid(x)


_GELU_C = float(np.sqrt(2.0 / np.pi))


def _gelu(x: Array) -> Array:
    # The tanh approximation (Hendrycks & Gimpel): 0.5 x (1 + tanh(c (x + 0.044715 x^3))).
    return 0.5 * x * (1.0 + np.tanh(_GELU_C * (x + 0.044715 * x * x * x)))


def _gelu_df(x: Array, y: Array) -> Array:
    # d/dx of the approximation: 0.5 (1 + t) + 0.5 x (1 - t^2) c (1 + 3 * 0.044715 x^2)
    t = np.tanh(_GELU_C * (x + 0.044715 * x * x * x))
    return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * _GELU_C * (1.0 + 0.134145 * x * x)


def softmax(x: Array) -> Array:
    """Row-wise softmax of x (N, K): exp(x - max) / sum(exp(x - max)), stable."""
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


TANH = Activation("tanh", np.tanh, _tanh_df, "Tanh")
RELU = Activation("relu", _relu, _relu_df, "ReLU")
SIGMOID = Activation("sigmoid", _sigmoid, _sigmoid_df, "Sigmoid")
LINEAR = Activation("linear", _linear, _linear_df, "Linear")
LEAKY_RELU = Activation("leaky_relu", _leaky_relu, _leaky_relu_df, "Leaky ReLU")
ELU = Activation("elu", _elu, _elu_df, "ELU")
SOFTPLUS = Activation("softplus", _softplus, _softplus_df, "Softplus")
GELU = Activation("gelu", _gelu, _gelu_df, "GELU (tanh approx.)")
SOFTMAX = Activation("softmax", softmax, None, "Softmax")

# Hidden (and output) activations by name; the first four are TensorFlow Playground's.
ACTIVATIONS: dict[str, Activation] = {
    a.name: a for a in (TANH, RELU, SIGMOID, LINEAR, LEAKY_RELU, ELU, SOFTPLUS, GELU)
}
# What an output layer may use: every elementwise activation, and softmax.
OUTPUT_ACTIVATIONS: dict[str, Activation] = {**ACTIVATIONS, "softmax": SOFTMAX}


def get_activation(name: str | Activation, output: bool = False) -> Activation:
    """The activation called `name` (an Activation passes through); ValueError if unknown."""
    if isinstance(name, Activation):
        return name
    table = OUTPUT_ACTIVATIONS if output else ACTIVATIONS
    try:
        return table[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown activation {name!r}; choose from {', '.join(table)}") from None
