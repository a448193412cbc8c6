"""Activation functions as value/derivative pairs, as TensorFlow Playground's nn.ts has them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from playground.engine.choices import Choice, add, registry

Array = np.ndarray


@dataclass(frozen=True)
class Activation(Choice):
    """y = f(x) elementwise, and its derivative; its names (engine.choices: label, tf_name,
    ..., and doc, the activation view's explanation, which follows the label).

    `df(x, y)` returns dy/dx elementwise, given both the input x and the output y = f(x), so each
    derivative can use whichever is cheaper (tanh's is 1 - y^2, relu's is [x > 0]).
    `df` is None for softmax, which is not elementwise: it is only used fused with
    cross-entropy, whose gradient is taken with respect to x directly (see losses.py).
    """

    f: Callable[[Array], Array]
    df: Callable[[Array, Array], Array | float] | None

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


TANH = Activation(
    "tanh", np.tanh, _tanh_df, label="Tanh", tf_name="tanh",
    doc="squashes any input into the range -1 to 1, centred on 0; its slope is largest (1) at 0 "
        "and fades towards 0 for large inputs of either sign.")
RELU = Activation(
    "relu", _relu, _relu_df, label="ReLU", tf_name="relu",
    doc="passes positive inputs through and zeroes negative ones; its slope is 1 or 0.")
SIGMOID = Activation(
    "sigmoid", _sigmoid, _sigmoid_df, label="Sigmoid", tf_name="sigmoid",
    doc="squashes any input into the range 0 to 1 (0.5 at 0); its slope is at most 0.25 and "
        "fades for large inputs, which can make deep networks learn slowly.")
LINEAR = Activation(
    "linear", _linear, _linear_df, label="Linear", tf_name="linear",
    doc="passes every input through unchanged; its slope is 1 everywhere, so it adds no bend "
        "at all.")
LEAKY_RELU = Activation(
    "leaky_relu", _leaky_relu, _leaky_relu_df, label="Leaky ReLU",
    doc=f"passes positive inputs through and scales negative ones by {LEAKY_SLOPE}; its slope "
        f"is 1 or {LEAKY_SLOPE}, so a neuron never stops learning entirely.")
ELU = Activation(
    "elu", _elu, _elu_df, label="ELU",
    doc="passes positive inputs through and bends negative ones smoothly towards -1; its slope "
        "is 1 for positive inputs and fades smoothly for negative ones.")
SOFTPLUS = Activation(
    "softplus", _softplus, _softplus_df, label="Softplus",
    doc="is a smooth version of ReLU, log(1 + e^x): close to 0 for very negative inputs and "
        "close to x for positive ones; its slope is the sigmoid.")
GELU = Activation(
    "gelu", _gelu, _gelu_df, label="GELU",
    doc="passes positive inputs through and softly gates negative ones towards 0, with a small "
        "dip just below 0; its slope rises smoothly from 0 to about 1.")
# Only the output layer's, fused with cross-entropy: no hidden layer, no menu offers it.
SOFTMAX = Activation("softmax", softmax, None, label="Softmax", page=False,
                     doc="turns a row of scores into probabilities that add up to 1.")

# Hidden (and output) activations by name; the first four are TensorFlow Playground's.
ACTIVATIONS: dict[str, Activation] = registry(
    (TANH, RELU, SIGMOID, LINEAR, LEAKY_RELU, ELU, SOFTPLUS, GELU))
# What an output layer may use: every elementwise activation, and softmax.
OUTPUT_ACTIVATIONS: dict[str, Activation] = {**ACTIVATIONS, "softmax": SOFTMAX}


def register_activation(activation: Activation) -> Activation:
    """Add a hidden activation (a plugin's): the engine, a Config, the command line and, if
    `activation.page`, the page offer it, named as it says. Register before importing
    playground.state (whose menus are made when it is imported). ValueError if one of its
    spellings names another activation, or it has no elementwise derivative."""
    if activation.df is None:
        raise ValueError(f"{activation.name!r}: a hidden activation needs its derivative, df")
    if activation.name == SOFTMAX.name:
        raise ValueError("'softmax' is the output layer's")
    add(ACTIVATIONS, activation)
    OUTPUT_ACTIVATIONS[activation.name] = activation
    return activation


def get_activation(name: str | Activation, output: bool = False) -> Activation:
    """The activation called `name` (an Activation passes through); ValueError if unknown."""
    if isinstance(name, Activation):
        return name
    table = OUTPUT_ACTIVATIONS if output else ACTIVATIONS
    try:
        return table[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown activation {name!r}; choose from {', '.join(table)}") from None
