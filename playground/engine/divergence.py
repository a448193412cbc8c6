"""Divergence: when a run's numbers stop meaning anything, and what to call it.

A run has diverged when a loss or a parameter is NaN or infinite, or when the parameters have
blown up beyond any use: their norm over MAX_NORM, even while float64 can still hold them (an
output bias growing 9x a step takes ~60 epochs to overflow, and means nothing long before).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

MAX_NORM = 1e8
# numpy's floating-point warnings, off while training: the checks here catch what they warn of
QUIET = {"over": "ignore", "invalid": "ignore", "divide": "ignore", "under": "ignore"}


def finite(params: Sequence[np.ndarray]) -> bool:
    """True unless a parameter is NaN or infinite, or their norm is beyond MAX_NORM."""
    total = 0.0
    for p in params:
        total += float(np.vdot(p, p))  # NaN and inf carry through the sum
    return total <= MAX_NORM * MAX_NORM  # False for NaN


def what_blew_up(losses: Sequence[float], params: Sequence[np.ndarray]) -> str:
    """The cause of a divergence, in words (read before the weights are rolled back)."""
    if any(math.isinf(v) for v in losses):
        return "the loss became infinite"
    if any(math.isnan(v) for v in losses):
        return "the loss became NaN (not a number)"
    if not all(np.isfinite(p).all() for p in params):
        return "a weight became infinite or NaN"
    return f"the weights blew up (grew beyond {MAX_NORM:,.0f})"


def what_is_wrong(losses: Sequence[float]) -> str:
    """Why weights cannot be trained from (their losses, or else their norm, is not finite):
    `what_blew_up` in the present tense."""
    if any(math.isinf(v) for v in losses):
        return "the loss is infinite"
    if any(math.isnan(v) for v in losses):
        return "the loss is NaN (not a number)"
    return f"the weights are beyond {MAX_NORM:,.0f}"


def diverged_message(epoch: int | None, cause: str, lr: float) -> str:
    """The one sentence of a divergence, for the trainer, the page and the command line: e.g.
    "Training diverged at epoch 3: the loss became infinite. The learning rate (10) is too
    large for this network." (the epoch and the cause left out when not known)."""
    where = f" at epoch {epoch}" if epoch is not None else ""
    cause = f": {cause}" if cause else ""
    return (f"Training diverged{where}{cause}. The learning rate ({lr:g}) is too large for "
            "this network.")


def cannot_train_message(which: str, cause: str) -> str:
    """`which` weights ("initial", "loaded") that training cannot start from, and why."""
    return (f"The {which} weights cannot be trained: {cause} (nothing was trained; the "
            "weights are kept as they are).")
