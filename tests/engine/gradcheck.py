"""Centred finite differences and cs231n's relative error, for the gradient checks."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

H = 1e-5
TOLERANCE = 1e-6


def numeric_grad(f: Callable[[], float], x: np.ndarray, h: float = H) -> np.ndarray:
    """d f() / d x by centred differences; x is nudged in place and restored."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        plus = f()
        x[idx] = old - h
        minus = f()
        x[idx] = old
        grad[idx] = (plus - minus) / (2 * h)
    return grad


def numeric_elementwise(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray,
                        h: float = H) -> np.ndarray:
    """f'(x) elementwise for an elementwise f, by centred differences."""
    return (f(x + h) - f(x - h)) / (2 * h)


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    """max |a - b| / max(1e-8, |a| + |b|), elementwise (cs231n)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
