"""L1 and L2 weight penalties, applied as TensorFlow Playground's `updateWeights` applies them.

TF semantics, per weight w (biases are never regularized), after the loss gradient step:

    r     = der(w_before)             # the penalty's derivative, at the weight before the step
    w     = w - lr * dL/dw            # the optimizer's step (plain SGD in TF)
    w_new = w - lr * rate * r         # the penalty's step
    L1 only: if w and w_new have opposite signs, the weight is set to 0 and stays 0 ("dead"):
             TF marks the link `isDead` and never updates it again.

For plain SGD this is gradient descent on loss + rate * penalty (the reported loss, like TF's,
is the data loss alone). For momentum and Adam the penalty step stays outside the optimizer,
as in decoupled weight decay (AdamW).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from playground.engine.choices import Choice, lookup, registry

Array = np.ndarray


@dataclass(frozen=True)
class Regularizer(Choice):
    """penalty(w) = sum over the weights; der(w) = its derivative, elementwise; its names
    (engine.choices)."""

    penalty: Callable[[Array], float]
    der: Callable[[Array], Array]
    prunes: bool = False  # L1: a weight that crosses zero is set to zero, for good

    def __reduce__(self) -> tuple:
        """Pickled by name: a trainer handed to another interpreter finds the same one."""
        return (get_regularizer, (self.name,))


def _zero(w: Array) -> Array:
    return np.zeros_like(w)


NONE = Regularizer("none", lambda w: 0.0, _zero, label="None", tf_name="none",
                   doc="no penalty: the weights follow the loss alone")
# |w|; d/dw = sign(w), 0 at w = 0 (TF: `w < 0 ? -1 : (w > 0 ? 1 : 0)`)
L1 = Regularizer("l1", lambda w: float(np.abs(w).sum()), np.sign, prunes=True, label="L1",
                 tf_name="L1", doc="pulls every weight towards 0 by the same amount; a weight "
                                   "that reaches 0 stays there")
# 0.5 w^2; d/dw = w
L2 = Regularizer("l2", lambda w: 0.5 * float(np.vdot(w, w)), lambda w: w.copy(), label="L2",
                 tf_name="L2", doc="pulls every weight towards 0 in proportion to its size")

REGULARIZERS: dict[str, Regularizer] = registry((NONE, L1, L2))


def get_regularizer(name: str | Regularizer | None) -> Regularizer:
    """The regularizer called `name` (None means none); ValueError if unknown."""
    if name is None:
        return NONE
    if isinstance(name, Regularizer):
        return name
    found = lookup(REGULARIZERS, name.lower() if isinstance(name, str) else name)
    if found is None:
        raise ValueError(f"unknown regularization {name!r}; choose from "
                         f"{', '.join(REGULARIZERS)}")
    return REGULARIZERS[found]


class Penalty:
    """Applies a regularizer to a network's weight matrices around each optimizer step.

    Usage per step: `ders = penalty.before(weights)`, the optimizer's step, then
    `penalty.after(weights, ders, lr, rate)`. Keeps the L1 dead-weight masks, one run's state:
    `reset` forgets them (new weights, a new run).
    """

    def __init__(self, regularizer: str | Regularizer | None, n_weights: int) -> None:
        self.reg = get_regularizer(regularizer)
        self.active = self.reg.name != "none"
        self.dead: list[Array | None] = [None] * n_weights  # L1: weights pruned for good

    def reset(self) -> None:
        """Forget which weights were pruned: every weight may move again."""
        self.dead = [None] * len(self.dead)

    def before(self, weights: list[Array]) -> list[Array]:
        """The penalty's derivative at each weight matrix before the step."""
        der = self.reg.der
        return [der(w) for w in weights]

    def after(self, weights: list[Array], ders: list[Array], lr: float, rate: float) -> int:
        """w -= lr * rate * der, in place, with L1's pruning. Returns how many were pruned."""
        pruned = 0
        step = lr * rate
        for i, (w, r) in enumerate(zip(weights, ders, strict=True)):
            if self.reg.prunes:
                new = w - step * r
                crossed = (w * new) < 0  # crossed zero because of the penalty
                dead = self.dead[i]
                if crossed.any():
                    pruned += int(np.count_nonzero(crossed))
                    dead = crossed if dead is None else (dead | crossed)
                    self.dead[i] = dead
                if dead is not None:
                    new[dead] = 0.0
                w[...] = new
            elif step:
                w -= step * r
        return pruned

    def freeze_dead(self, weights: list[Array]) -> None:
        """Hold pruned weights at 0 (after a step that did not go through `after`)."""
        for w, dead in zip(weights, self.dead, strict=True):
            if dead is not None:
                w[dead] = 0.0
