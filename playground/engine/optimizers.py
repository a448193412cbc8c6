"""Optimizers: `step(params, grads)` updates the parameter arrays in place.

`lr` is a plain attribute: change it between steps and the optimizer's state (velocities,
moment estimates) carries on. State is kept per position in the `params` list, so pass the
same list, in the same order, every step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from playground.engine.choices import Choice, registry

Array = np.ndarray


class Optimizer:
    name = ""

    def __init__(self, lr: float = 0.03) -> None:
        self.lr = lr

    def step(self, params: list[Array], grads: list[Array]) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        """Forget the state (velocities, moments)."""


class SGD(Optimizer):
    """TensorFlow Playground's minibatch SGD: p -= lr * g, g the mean-over-batch gradient."""

    name = "sgd"

    def step(self, params: list[Array], grads: list[Array]) -> None:
        lr = self.lr
        for p, g in zip(params, grads, strict=True):
            p -= lr * g


class Momentum(Optimizer):
    """Heavy ball: v = mu * v + g; p -= lr * v (mu = 0.9; v starts at 0)."""

    name = "momentum"

    def __init__(self, lr: float = 0.03, *, mu: float = 0.9) -> None:
        super().__init__(lr)
        self.mu = mu
        self.v: list[Array] = []

    def reset(self) -> None:
        self.v = []

    def step(self, params: list[Array], grads: list[Array]) -> None:
        if len(self.v) != len(params):
            self.v = [np.zeros_like(p) for p in params]
        lr, mu = self.lr, self.mu
        for p, g, v in zip(params, grads, self.v, strict=True):
            v *= mu
            v += g
            p -= lr * v


class Adam(Optimizer):
    """Adam (Kingma & Ba): m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
    p -= lr * m_hat / (sqrt(v_hat) + eps), with the bias-corrected m_hat, v_hat.

    Defaults b1 = 0.9, b2 = 0.999, eps = 1e-8.
    """

    name = "adam"

    def __init__(self, lr: float = 0.001, *, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8) -> None:
        super().__init__(lr)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.reset()

    def reset(self) -> None:
        self.m: list[Array] = []
        self.v: list[Array] = []
        self.t = 0

    def step(self, params: list[Array], grads: list[Array]) -> None:
        if len(self.m) != len(params):
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
            self.t = 0
        self.t += 1
        b1, b2, eps = self.beta1, self.beta2, self.eps
        # fold both bias corrections into the step size: lr * sqrt(1 - b2^t) / (1 - b1^t)
        lr_t = self.lr * math.sqrt(1.0 - b2**self.t) / (1.0 - b1**self.t)
        eps_t = eps * math.sqrt(1.0 - b2**self.t)
        for p, g, m, v in zip(params, grads, self.m, self.v, strict=True):
            m *= b1
            m += (1.0 - b1) * g
            v *= b2
            v += (1.0 - b2) * (g * g)
            p -= lr_t * m / (np.sqrt(v) + eps_t)


@dataclass(frozen=True)
class OptimizerSpec(Choice):
    """An optimizer's class and its names (engine.choices). TensorFlow Playground has plain
    SGD only, and no key for it: every spelling is ours."""

    make: type[Optimizer]


OPTIMIZERS: dict[str, OptimizerSpec] = registry((
    OptimizerSpec("sgd", SGD, label="SGD",
                  doc="plain gradient descent, a step of -learning rate x gradient (TensorFlow "
                      "Playground's)"),
    OptimizerSpec("momentum", Momentum, label="Momentum",
                  doc="steps along a running sum of gradients (0.9), which speeds it along "
                      "steady slopes"),
    OptimizerSpec("adam", Adam, label="Adam",
                  doc="steps scaled per weight by running averages of the gradient and its "
                      "square"),
))


def make_optimizer(name: str, lr: float) -> Optimizer:
    """A new optimizer called `name` with learning rate `lr`; ValueError if unknown."""
    try:
        spec = OPTIMIZERS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown optimizer {name!r}; choose from "
                         f"{', '.join(OPTIMIZERS)}") from None
    return spec.make(lr)
