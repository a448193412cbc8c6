"""Weight initializers: `init(n_in, n_out, rng) -> (W, b)`, all randomness from `rng`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from playground.engine.choices import Choice, registry

Array = np.ndarray
Init = Callable[[int, int, np.random.Generator], tuple[Array, Array]]


def tfp(n_in: int, n_out: int, rng: np.random.Generator) -> tuple[Array, Array]:
    """TensorFlow Playground's: W ~ uniform(-0.5, 0.5) (`Math.random() - 0.5`), b = 0.1."""
    return rng.uniform(-0.5, 0.5, size=(n_in, n_out)), np.full(n_out, 0.1)


def xavier(n_in: int, n_out: int, rng: np.random.Generator) -> tuple[Array, Array]:
    """Glorot uniform: W ~ uniform(-l, l), l = sqrt(6 / (n_in + n_out)); b = 0."""
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=(n_in, n_out)), np.zeros(n_out)


def he(n_in: int, n_out: int, rng: np.random.Generator) -> tuple[Array, Array]:
    """He normal, for ReLU-like units: W ~ normal(0, sqrt(2 / n_in)); b = 0."""
    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out)), np.zeros(n_out)


def zeros(n_in: int, n_out: int, rng: np.random.Generator) -> tuple[Array, Array]:
    """All zero, weights and biases (TF's `initZero`): every neuron stays the same."""
    return np.zeros((n_in, n_out)), np.zeros(n_out)


@dataclass(frozen=True)
class Initializer(Choice):
    """An initializer, called as its function `init` is, and its names (engine.choices). The
    page offers TensorFlow Playground's and, as its `initZero` does, zeros."""

    init: Init

    def __call__(self, n_in: int, n_out: int, rng: np.random.Generator
                 ) -> tuple[Array, Array]:
        return self.init(n_in, n_out, rng)


INITIALIZERS: dict[str, Initializer] = registry((
    Initializer("tfp", tfp, label="TensorFlow Playground's",
                doc="weights uniform in -0.5 to 0.5, biases 0.1"),
    Initializer("xavier", xavier, label="Xavier", page=False,
                doc="Glorot uniform weights for the layer's size, biases 0"),
    Initializer("he", he, label="He", page=False,
                doc="He normal weights, for ReLU-like units, biases 0"),
    Initializer("zeros", zeros, label="Zeros",
                doc="every weight and bias 0 (TensorFlow Playground's initZero): every neuron "
                    "stays the same"),
))


def get_initializer(name: str) -> Initializer:
    """The initializer called `name`; ValueError if unknown."""
    try:
        return INITIALIZERS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown initializer {name!r}; choose from "
                         f"{', '.join(INITIALIZERS)}") from None
