"""Losses: the value over a batch and its gradient with respect to the network's output.

Every loss is a mean over the batch, so every gradient carries a 1/N: that is what makes a
minibatch SGD step `w -= lr * dL/dw` the mean of the per-sample steps, as TensorFlow Playground
does (`accErrorDer / numAccumulatedDers`).

A loss takes the targets in its own form: `targets(labels, n_classes)` converts a dataset's
labels once (binary labels are -1/+1, classes 0..K-1, regression values as they are).

Values are exact, never clipped. The cross-entropies are computed from the output layer's
logits z when they are given (`z=`, as the trainer does), in log-sum-exp and log1p forms, so a
saturated output keeps its true loss: a positive point whose sigmoid output has z = -50 has
p = 1.9e-22 (which the sigmoid rounds to 0) and a loss of 50.000..., where clipping p at
1e-12 made it 27.6. From the probabilities alone (no z), the value is exact for the p given:
infinite where the true class has p = 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.engine.choices import Choice, registry

Array = np.ndarray


def one_hot(classes: Array, k: int) -> Array:
    """Class indices (N,) -> one-hot rows (N, k)."""
    out = np.zeros((len(classes), k))
    out[np.arange(len(classes)), classes.astype(np.intp)] = 1.0
    return out


@dataclass(frozen=True)
class Loss(Choice):
    """A loss: `value`, `per_sample`, `grad`, and how to read targets and accuracy; its names
    (engine.choices). `page`: the page trains with it (it has no menu of losses: the data's
    problem and classes choose, see `default_loss`).

    `fused` is False when `grad` is dL/d(output), the network's output a. It is True when the
    loss comes with its own output activation (sigmoid, softmax) and `grad` is taken with respect
    to that activation's input z instead: dL/dz = (a - t) / N, exact and free of the overflow
    and 0/0 of chaining through the activation's derivative.
    """

    output_activation = ""  # the output activation this loss is made for
    fused = False

    def targets(self, labels: Array, n_classes: int | None) -> Array:
        """Dataset labels -> this loss's targets, shape (N, n_out)."""
        raise NotImplementedError

    def n_outputs(self, n_classes: int | None) -> int:
        return 1

    def per_sample(self, out: Array, t: Array, z: Array | None = None) -> Array:
        """The loss of each row, shape (N,). `z`: the output layer's logits (N, n_out), for
        losses that compute their value from them."""
        raise NotImplementedError

    def value(self, out: Array, t: Array, z: Array | None = None) -> float:
        """Mean loss over the batch."""
        return float(self.per_sample(out, t, z).mean())

    def grad(self, out: Array, t: Array) -> Array:
        """dL/d(out) of the mean loss (or dL/dz if `fused`), shape (N, n_out)."""
        raise NotImplementedError

    def correct(self, out: Array, t: Array) -> Array:
        """Which rows are classified right, (N,) bools."""
        raise NotImplementedError

    def accuracy(self, out: Array, t: Array) -> float:
        """Fraction of rows classified right."""
        return float(np.count_nonzero(self.correct(out, t))) / len(out)


class SquaredError(Loss):
    """L = mean_n 0.5 * sum_k (a_nk - t_nk)^2; dL/da = (a - t) / N.

    TensorFlow Playground's only loss (`Errors.SQUARE`), used for classification with a tanh
    output and targets -1/+1 (a point is classed by the sign of the output), and for
    regression with a linear output.
    """

    output_activation = "tanh"

    def targets(self, labels: Array, n_classes: int | None) -> Array:
        if n_classes is not None and n_classes > 2:
            raise ValueError("the squared loss needs two classes; use softmax_ce for more")
        return np.asarray(labels, dtype=float).reshape(-1, 1)

    def per_sample(self, out: Array, t: Array, z: Array | None = None) -> Array:
        d = out - t
        return 0.5 * np.einsum("ij,ij->i", d, d)

    def value(self, out: Array, t: Array, z: Array | None = None) -> float:
        d = out - t
        return 0.5 * float(np.vdot(d, d)) / len(d)

    def grad(self, out: Array, t: Array) -> Array:
        return (out - t) * (1.0 / len(out))

    def correct(self, out: Array, t: Array) -> Array:
        return (out[:, 0] >= 0) == (t[:, 0] > 0)


class BinaryCrossEntropy(Loss):
    """Sigmoid output p = s(z) and targets 0/1: L = -mean(t log p + (1 - t) log(1 - p)).

    From the logit, exactly: -log s(z) = softplus(-z) and -log(1 - s(z)) = softplus(z), so
    L_n = t softplus(-z) + (1 - t) softplus(z), softplus(x) = max(x, 0) + log1p(e^-|x|),
    a sum of non-negative terms without overflow. Fused with the sigmoid: dL/dz = (p - t) / N.
    Labels -1/+1 become targets 0/1.
    """

    output_activation = "sigmoid"
    fused = True

    def targets(self, labels: Array, n_classes: int | None) -> Array:
        if n_classes is None or n_classes > 2:
            raise ValueError("the bce loss needs a two-class problem; use softmax_ce for more")
        return (np.asarray(labels, dtype=float) > 0).astype(float).reshape(-1, 1)

    def per_sample(self, out: Array, t: Array, z: Array | None = None) -> Array:
        t = t[:, 0]
        if z is not None:
            z = z[:, 0]
            return t * _softplus(-z) + (1.0 - t) * _softplus(z)
        p = out[:, 0]
        with np.errstate(divide="ignore"):  # log(0) = -inf: the true loss of p = 0
            return -(np.where(t > 0, t * np.log(p), 0.0)
                     + np.where(t < 1, (1.0 - t) * np.log1p(-p), 0.0))

    def grad(self, out: Array, t: Array) -> Array:
        return (out - t) * (1.0 / len(out))

    def correct(self, out: Array, t: Array) -> Array:
        return (out[:, 0] >= 0.5) == (t[:, 0] > 0.5)


class SoftmaxCrossEntropy(Loss):
    """Softmax output p (N, K) and one-hot targets: L = -mean_n sum_k t_nk log p_nk.

    From the logits, exactly: -log p_k = lse(z) - z_k, with log-sum-exp taken around the row's
    largest logit m (at column j): lse(z) = m + log1p(s), s = sum_{k != j} e^(z_k - m) <= K - 1,
    so L_n = sum_k t_nk ((m - z_nk) + log1p(s_n)), non-negative terms without overflow or
    cancellation. Fused with the softmax: dL/dz = (p - t) / N. Binary labels -1/+1 become
    classes 0/1.
    """

    output_activation = "softmax"
    fused = True

    def n_outputs(self, n_classes: int | None) -> int:
        if n_classes is None:
            raise ValueError("the softmax_ce loss is for classification")
        return n_classes

    def targets(self, labels: Array, n_classes: int | None) -> Array:
        k = self.n_outputs(n_classes)
        labels = np.asarray(labels, dtype=float)
        classes = (labels > 0).astype(np.intp) if k == 2 else labels.astype(np.intp)
        return one_hot(classes, k)

    def per_sample(self, out: Array, t: Array, z: Array | None = None) -> Array:
        if z is not None:
            rows, j = np.arange(len(z)), z.argmax(axis=1)
            gap = z[rows, j][:, None] - z  # m - z_k >= 0, (N, K)
            e = np.exp(-gap)
            e[rows, j] = 0.0
            return np.einsum("ij,ij->i", t, gap) + t.sum(axis=1) * np.log1p(e.sum(axis=1))
        with np.errstate(divide="ignore"):  # log(0) = -inf: the true loss of p = 0
            return -np.einsum("ij,ij->i", t, np.where(t > 0, np.log(out), 0.0))

    def grad(self, out: Array, t: Array) -> Array:
        return (out - t) * (1.0 / len(out))

    def correct(self, out: Array, t: Array) -> Array:
        return out.argmax(axis=1) == t.argmax(axis=1)


def _softplus(x: Array) -> Array:
    """log(1 + e^x) = max(x, 0) + log1p(e^-|x|): exact, and no overflow for large x."""
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


SQUARED = SquaredError("squared", label="Squared error",
                       doc="half the squared difference of output and target (TensorFlow "
                           "Playground's)")
BCE = BinaryCrossEntropy("bce", label="Cross-entropy", page=False,
                         doc="cross-entropy of a sigmoid output, for two classes")
SOFTMAX_CE = SoftmaxCrossEntropy("softmax_ce", label="Softmax cross-entropy",
                                 doc="cross-entropy of a softmax output, for any number of "
                                     "classes (the page's for three or more)")
LOSSES: dict[str, Loss] = registry((SQUARED, BCE, SOFTMAX_CE))


def get_loss(name: str | Loss) -> Loss:
    """The loss called `name` (a Loss passes through); ValueError if unknown."""
    if isinstance(name, Loss):
        return name
    try:
        return LOSSES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown loss {name!r}; choose from {', '.join(LOSSES)}") from None


def default_loss(problem: str, n_classes: int | None = 2) -> str:
    """TensorFlow Playground's choice: squared error (tanh output for two classes, linear
    for regression); softmax cross-entropy for three or more classes."""
    if problem == "regression":
        return "squared"
    if problem != "classification":
        raise ValueError(f"unknown problem {problem!r}; choose classification or regression")
    return "softmax_ce" if n_classes is not None and n_classes > 2 else "squared"


def output_activation(problem: str, loss: str | Loss) -> str:
    """The output layer's activation for `loss` on `problem`: the loss's own, except that the
    squared error gets a linear output for regression (TF: `REGRESSION ? LINEAR : TANH`)."""
    loss = get_loss(loss)
    if problem == "regression":
        if loss.name != "squared":
            raise ValueError(f"the {loss.name} loss is for classification; regression uses "
                             "squared")
        return "linear"
    return loss.output_activation
