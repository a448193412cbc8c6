"""Weight initializers: `init(n_in, n_out, rng) -> (W, b)`, all randomness from `rng`."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Array = np.ndarray
Initializer = Callable[[int, int, np.random.Generator], tuple[Array, Array]]


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


INITIALIZERS: dict[str, Initializer] = {"tfp": tfp, "xavier": xavier, "he": he, "zeros": zeros}


def get_initializer(name: str) -> Initializer:
    """The initializer called `name`; ValueError if unknown."""
    try:
        return INITIALIZERS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown initializer {name!r}; choose from "
                         f"{', '.join(INITIALIZERS)}") from None
