"""The training loop: minibatches, loss history, step-by-step inspection, divergence.

Order of the data: like TensorFlow Playground, the training set is shuffled once when it is made
(data.datasets does that) and every epoch walks it in that same order, in consecutive
minibatches of `batch_size` (the last one smaller if N is not a multiple). `shuffle=True`
instead draws a new order from `rng` at the start of every epoch. Either way a seed gives the
same run.

One difference from TF: TF applies an update only after every `batch_size` samples counted
across epochs, so a remainder batch spills into the next epoch; here each epoch ends with its
own (smaller) last batch.

Divergence: if an epoch ends with a loss or a weight that is NaN or infinite, or with weights
blown up beyond any use (norm of all parameters over MAX_NORM = 1e8), the weights go back to
the last good ones (the epoch's start), `diverged` becomes True, `diverged_epoch` says which
epoch it was, `divergence` what blew up ("the loss became infinite", ...) and `message` both in
one sentence; training stops (`train_epoch` returns False; nothing raises).

History: one record per epoch (epoch 0 is the untrained network), capped at `max_history`
points. When full, the older half is thinned to every other point, so a session that runs all
day keeps its whole curve in bounded memory, coarser the further back it goes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from playground.engine.losses import Loss, get_loss
from playground.engine.network import Network
from playground.engine.optimizers import Optimizer
from playground.engine.regularization import Penalty, Regularizer

# Parameters whose norm passes this have blown up, even while float64 can still hold them: an
# output bias growing 9x a step takes ~60 epochs to overflow, and means nothing long before.
MAX_NORM = 1e8
QUIET = {"over": "ignore", "invalid": "ignore", "divide": "ignore", "under": "ignore"}


class History:
    """Per-epoch records: parallel lists `epochs`, `train_loss`, `test_loss`,
    `train_accuracy`, `test_accuracy` (accuracies None for regression)."""

    FIELDS = ("epochs", "train_loss", "test_loss", "train_accuracy", "test_accuracy")

    def __init__(self, max_points: int = 10_000) -> None:
        if max_points < 4:
            raise ValueError("max_points must be at least 4")
        self.max_points = max_points
        self.epochs: list[int] = []
        self.train_loss: list[float] = []
        self.test_loss: list[float] = []
        self.train_accuracy: list[float | None] = []
        self.test_accuracy: list[float | None] = []

    def append(self, epoch: int, train_loss: float, test_loss: float,
               train_accuracy: float | None, test_accuracy: float | None) -> None:
        self.epochs.append(epoch)
        self.train_loss.append(train_loss)
        self.test_loss.append(test_loss)
        self.train_accuracy.append(train_accuracy)
        self.test_accuracy.append(test_accuracy)
        if len(self.epochs) > self.max_points:
            self._thin()

    def _thin(self) -> None:
        """Keep every other point of the older half (the first point always stays)."""
        half = len(self.epochs) // 2
        for name in self.FIELDS:
            values = getattr(self, name)
            values[:half] = values[:half:2]

    def __len__(self) -> int:
        return len(self.epochs)

    def as_dict(self) -> dict[str, list]:
        return {name: list(getattr(self, name)) for name in self.FIELDS}


@dataclass
class Step:
    """Everything about one minibatch step, phase by phase (all copies).

    Forward: `indices` (rows of the training set), `x` (B, n_in), `activations` (per layer,
    inputs first), `output`. Loss: `targets`, `loss_per_sample` (B,), `loss` (their mean).
    Backward: `dW`, `db` per layer (gradients of the mean loss). Update: `weights_before`,
    `biases_before`, `weights_after`, `biases_after`, with the `lr` used. For plain SGD
    without regularization, weights_after = weights_before - lr * dW exactly.
    """

    indices: np.ndarray
    x: np.ndarray
    activations: list[np.ndarray]
    output: np.ndarray
    targets: np.ndarray
    loss_per_sample: np.ndarray
    loss: float
    dW: list[np.ndarray]
    db: list[np.ndarray]
    weights_before: list[np.ndarray]
    biases_before: list[np.ndarray]
    weights_after: list[np.ndarray]
    biases_after: list[np.ndarray]
    lr: float
    epoch_done: bool  # this step was the epoch's last one (history got a new point)
    diverged: bool


class Trainer:
    """Trains `network` on (x_train, y_train), reporting on (x_test, y_test) every epoch.

    x: network inputs (N, n_in); y: dataset labels (N,) as the loss reads them (-1/+1 for two
    classes, 0..K-1 for more, values for regression). `problem` decides whether accuracy is
    recorded. `context` is free for whoever builds the trainer (experiment.build_trainer puts
    its Experiment there).
    """

    def __init__(self, network: Network, loss: str | Loss, optimizer: Optimizer,
                 x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray,
                 y_test: np.ndarray, batch_size: int = 10,
                 rng: np.random.Generator | None = None,
                 regularization: str | Regularizer | None = "none", reg_rate: float = 0.0, *,
                 problem: str = "classification", shuffle: bool = False,
                 max_history: int = 10_000) -> None:
        if problem not in ("classification", "regression"):
            raise ValueError(f"unknown problem {problem!r}; choose classification or regression")
        self.network = network
        self.loss = get_loss(loss)
        self.optimizer = optimizer
        self.problem = problem
        self.n_classes = None if problem == "regression" else max(2, network.sizes[-1])
        self.rng = rng if rng is not None else np.random.default_rng()
        self.shuffle = shuffle
        self.reg_rate = float(reg_rate)
        self.penalty = Penalty(regularization, len(network.layers))
        self.x_train, self.t_train = self._inputs(x_train, y_train, "train")
        self.x_test, self.t_test = self._inputs(x_test, y_test, "test")
        if len(self.x_train) == 0:
            raise ValueError("the training set is empty")
        self._batch_size = 1
        self.batch_size = batch_size
        self.history = History(max_history)
        self.epoch = 0
        self.diverged = False
        self.diverged_epoch: int | None = None
        self.divergence = ""  # what blew up, e.g. "the loss became infinite"
        self.message = ""
        self.context: Any = None
        self._params = network.params()
        self._grads = network.grads()
        self._weights = network.weights
        self._snapshot = [p.copy() for p in self._params]
        self._cursor = 0  # index of the next minibatch within the epoch
        self._order: np.ndarray | None = None  # this epoch's row order (shuffle only)
        self._batches: list[tuple[np.ndarray, np.ndarray]] = []
        self._record()

    def _inputs(self, x: np.ndarray, y: np.ndarray, which: str) -> tuple[np.ndarray, np.ndarray]:
        x = np.ascontiguousarray(x, dtype=float)
        if x.ndim != 2 or x.shape[1] != self.network.sizes[0]:
            raise ValueError(f"x_{which} must have shape (N, {self.network.sizes[0]}), "
                             f"got {x.shape}")
        t = self.loss.targets(np.asarray(y), self.n_classes)
        if len(t) != len(x) or t.shape[1] != self.network.sizes[-1]:
            raise ValueError(f"y_{which} does not fit: {len(y)} labels for {len(x)} rows, "
                             f"{t.shape[1]} targets per row for {self.network.sizes[-1]} outputs")
        return x, np.ascontiguousarray(t)

    # settings that may change between steps ---------------------------------------------------
    @property
    def learning_rate(self) -> float:
        return self.optimizer.lr

    @learning_rate.setter
    def learning_rate(self, lr: float) -> None:
        self.optimizer.lr = float(lr)

    @property
    def batch_size(self) -> int:
        return self._batch_size

    @batch_size.setter
    def batch_size(self, n: int) -> None:
        if int(n) < 1:
            raise ValueError(f"batch_size must be at least 1, got {n}")
        self._batch_size = int(n)
        self._batches = []  # rebuilt at the next batch

    @property
    def n_batches(self) -> int:
        """Minibatches per epoch."""
        return -(-len(self.x_train) // self._batch_size)

    # the epoch's minibatches -----------------------------------------------------------------
    def _epoch_batches(self) -> list[tuple[np.ndarray, np.ndarray]]:
        if self._cursor == 0 and (self.shuffle or not self._batches):
            x, t, n, bs = self.x_train, self.t_train, len(self.x_train), self._batch_size
            if self.shuffle:
                self._order = self.rng.permutation(n)
                x, t = x[self._order], t[self._order]
            self._batches = [(x[s:s + bs], t[s:s + bs]) for s in range(0, n, bs)]
        elif not self._batches:  # batch size changed mid-epoch: restart the epoch's walk
            self._cursor = 0
            return self._epoch_batches()
        return self._batches

    def _batch_rows(self, k: int) -> np.ndarray:
        rows = np.arange(k * self._batch_size,
                         min((k + 1) * self._batch_size, len(self.x_train)))
        return self._order[rows] if self.shuffle and self._order is not None else rows

    # training ---------------------------------------------------------------------------------
    def train_epoch(self) -> bool:
        """Train on the rest of this epoch's minibatches (all of them, unless `train_step` was
        called mid-epoch), then record the losses. False if training has diverged."""
        if self.diverged:
            return False
        with np.errstate(**QUIET):
            self._save_snapshot()
            batches = self._epoch_batches()
            forward, backward = self.network.forward, self.network.backward
            grad, fused = self.loss.grad, self.loss.fused
            update = self._update
            for xb, tb in batches[self._cursor:] if self._cursor else batches:
                backward(grad(forward(xb), tb), fused)
                update()
            return self._end_epoch()

    def train(self, epochs: int) -> bool:
        """Train `epochs` epochs (fewer if it diverges). False if diverged."""
        for _ in range(epochs):
            if not self.train_epoch():
                return False
        return not self.diverged

    def _update(self) -> None:
        """The optimizer's step, with the regularization penalty around it (if any)."""
        penalty = self.penalty
        if penalty.active:
            ders = penalty.before(self._weights)
            self.optimizer.step(self._params, self._grads)
            penalty.after(self._weights, ders, self.optimizer.lr, self.reg_rate)
        else:
            self.optimizer.step(self._params, self._grads)

    def _end_epoch(self) -> bool:
        """Record the epoch's losses, or roll back if they (or the weights) are not finite."""
        ok = self._record(self.epoch + 1)
        if ok:
            self.epoch += 1
            self._cursor = 0
        return ok

    def _record(self, epoch: int = 0) -> bool:
        train_loss, train_acc = self._evaluate(self.x_train, self.t_train)
        test_loss, test_acc = self._evaluate(self.x_test, self.t_test)
        if not (math.isfinite(train_loss) and math.isfinite(test_loss) and self._finite()):
            self._diverge(epoch, train_loss, test_loss)
            return False
        self.history.append(epoch, train_loss, test_loss, train_acc, test_acc)
        return True

    def _finite(self) -> bool:
        """True unless a parameter is NaN or infinite, or their norm is beyond MAX_NORM."""
        total = 0.0
        for p in self._params:
            total += float(np.vdot(p, p))  # NaN and inf carry through the sum
        return total <= MAX_NORM * MAX_NORM  # False for NaN

    def _diverge(self, epoch: int, *losses: float) -> None:
        self.divergence = self._what_blew_up(losses)
        for s, p in zip(self._snapshot, self._params, strict=True):
            np.copyto(p, s)
        self.diverged = True
        self.diverged_epoch = epoch
        self.message = (f"Training diverged at epoch {epoch}: {self.divergence}. The weights "
                        "are the last finite ones; lower the learning rate and reset.")

    def _what_blew_up(self, losses: tuple[float, ...]) -> str:
        """The cause, in words, of a divergence (before the weights are rolled back)."""
        if any(math.isinf(v) for v in losses):
            return "the loss became infinite"
        if any(math.isnan(v) for v in losses):
            return "the loss became NaN (not a number)"
        if not all(np.isfinite(p).all() for p in self._params):
            return "a weight became infinite or NaN"
        return f"the weights blew up (grew beyond {MAX_NORM:,.0f})"

    def train_step(self, batch_indices: np.ndarray | None = None) -> float:
        """One minibatch step; returns the batch's mean loss before the update.

        Without `batch_indices`: the epoch's next minibatch (the epoch's last one records the
        epoch in the history). With them: those rows of the training set, and the epoch's walk
        is left where it was. Does nothing but return NaN once training has diverged.
        """
        if self.diverged:
            return float("nan")
        xb, tb, _ = self._batch(batch_indices)
        with np.errstate(**QUIET):
            self._save_snapshot()
            out = self.network.forward(xb)
            loss = self.loss.value(out, tb, self.network.logits)
            self.network.backward(self.loss.grad(out, tb), self.loss.fused)
            self._update()
            self._after_step(loss, advance=batch_indices is None)
        return loss

    def step_through(self, batch_indices: np.ndarray | None = None) -> Step:
        """One minibatch step, like `train_step`, with each phase's pieces returned as copies:
        Forward, Loss, Backward, Update, so a view can show them one at a time.

        Once training has diverged, the forward, loss and backward are still computed but no
        update is made (weights_after equals weights_before).
        """
        xb, tb, rows = self._batch(batch_indices)
        net = self.network
        with np.errstate(**QUIET):
            weights_before, biases_before = net.get_weights()
            # Forward: the activations of every layer, inputs first
            out = net.forward(xb)
            activations = [a.copy() for a in net.activations]
            # Loss: per sample, and the mean the gradients are of
            per_sample = self.loss.per_sample(out, tb, net.logits)
            loss = float(per_sample.mean())
            # Backward: dL/dW and dL/db for every layer
            net.backward(self.loss.grad(out, tb), self.loss.fused)
            dW = [layer.dW.copy() for layer in net.layers]
            db = [layer.db.copy() for layer in net.layers]
            # Update: the optimizer's step (and the regularization penalty)
            epoch_done = False
            if not self.diverged:
                epoch = self.epoch
                self._save_snapshot()
                self._update()
                self._after_step(loss, advance=batch_indices is None)
                epoch_done = self.epoch > epoch
        weights_after, biases_after = net.get_weights()
        return Step(indices=rows, x=xb.copy(), activations=activations, output=out.copy(),
                    targets=tb.copy(), loss_per_sample=per_sample.copy(), loss=loss, dW=dW,
                    db=db, weights_before=weights_before, biases_before=biases_before,
                    weights_after=weights_after, biases_after=biases_after,
                    lr=self.optimizer.lr, epoch_done=epoch_done, diverged=self.diverged)

    def _batch(self, batch_indices: np.ndarray | None
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(x, targets, rows) of the next minibatch, or of the given training rows."""
        if batch_indices is None:
            batches = self._epoch_batches()
            xb, tb = batches[self._cursor]
            return xb, tb, self._batch_rows(self._cursor)
        rows = np.asarray(batch_indices).reshape(-1)
        if (len(rows) == 0 or not np.issubdtype(rows.dtype, np.integer) or rows.min() < 0
                or rows.max() >= len(self.x_train)):
            raise ValueError("batch_indices must be a non-empty list of training-set rows")
        rows = rows.astype(np.intp)
        return self.x_train[rows], self.t_train[rows], rows

    def _save_snapshot(self) -> None:
        for s, p in zip(self._snapshot, self._params, strict=True):
            np.copyto(s, p)

    def _after_step(self, loss: float, advance: bool) -> None:
        """Roll back if the step made anything non-finite; else move the epoch's walk on."""
        if not (math.isfinite(loss) and self._finite()):
            self._diverge(self.epoch + 1, loss)
            return
        if advance:
            self._cursor += 1
            if self._cursor == len(self._batches):
                self._end_epoch()

    def load_weights(self, weights: list, biases: list, epoch: int | None = None) -> None:
        """Set the network's weights (shape-checked), and start a new history at `epoch`
        (default: the current one) with the losses of these weights."""
        self.network.set_weights(weights, biases)
        if epoch is not None:
            if epoch < 0:
                raise ValueError(f"epoch must be >= 0, got {epoch}")
            self.epoch = int(epoch)
        self.history = History(self.history.max_points)
        self.diverged, self.message, self._cursor = False, "", 0
        self.diverged_epoch, self.divergence = None, ""
        self.optimizer.reset()
        self._record(self.epoch)

    def reevaluate(self) -> None:
        """Recompute the latest record's losses for the weights as they are now (after a weight
        was set by hand), so the numbers shown match the network shown."""
        with np.errstate(**QUIET):
            train_loss, train_acc = self._evaluate(self.x_train, self.t_train)
            test_loss, test_acc = self._evaluate(self.x_test, self.t_test)
        h = self.history
        if len(h):
            h.train_loss[-1], h.test_loss[-1] = train_loss, test_loss
            h.train_accuracy[-1], h.test_accuracy[-1] = train_acc, test_acc

    # reading -----------------------------------------------------------------------------------
    def _evaluate(self, x: np.ndarray, t: np.ndarray) -> tuple[float, float | None]:
        if len(x) == 0:
            return 0.0, None
        out = self.network.forward(x)
        loss = self.loss.value(out, t, self.network.logits)
        if self.problem == "regression":
            return loss, None
        return loss, self.loss.accuracy(out, t)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The network's output for inputs x (N, n_in): (N, n_outputs)."""
        with np.errstate(**QUIET):
            return self.network.forward(np.asarray(x, dtype=float))

    def evaluate(self, x: np.ndarray, y: np.ndarray) -> tuple[float, float | None]:
        """(mean loss, accuracy) on inputs x and dataset labels y; accuracy None for
        regression."""
        x, t = self._inputs(x, y, "eval")
        with np.errstate(**QUIET):
            return self._evaluate(x, t)

    # the latest record (NaN / None if even the untrained network's loss was not finite)
    @property
    def train_loss(self) -> float:
        return self.history.train_loss[-1] if self.history.train_loss else float("nan")

    @property
    def test_loss(self) -> float:
        return self.history.test_loss[-1] if self.history.test_loss else float("nan")

    @property
    def train_accuracy(self) -> float | None:
        return self.history.train_accuracy[-1] if self.history.train_accuracy else None

    @property
    def test_accuracy(self) -> float | None:
        return self.history.test_accuracy[-1] if self.history.test_accuracy else None
