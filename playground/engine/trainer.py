"""The training loop: minibatch steps, loss history, step-by-step inspection, divergence.

One step, written once (`Trainer._step`): Forward (a minibatch through the network), Backward
(the gradient of the batch's mean loss to every layer's dW, db), Update (the optimizer's step,
with the regularization penalty around it). `train_epoch`, `train_step` and `step_through` all
take that step; they differ only in how far they go and what they report.

Order of the data: engine.batches walks the training set as TensorFlow Playground does, in
the same order every epoch (data.datasets shuffled the points once when it made them), an
update every `batch_size` points counted within the epoch; a remainder of fewer points waits
and joins the next epoch's first batch. `shuffle=True` instead draws a new order from `rng` at
the start of every epoch. Either way a seed gives the same run.

Divergence (engine.divergence: a loss or a weight NaN or infinite, or the weights' norm over
1e8): when an epoch ends diverged, the weights go back to the last good ones (the epoch's
start), `diverged` becomes True, `diverged_epoch` says which epoch it was, `divergence` what
blew up ("the loss became infinite", ...) and `message` both in one sentence; training stops
(`train_epoch` returns False; nothing raises). `train_step` and `step_through` check after
every step, and go back to the weights before it.

Weights that cannot be trained from the start (an untrained network whose loss is already
infinite, a loaded model's weights): they are kept as they are, `diverged` is True with no
`diverged_epoch` (nothing was trained), `divergence` says what is wrong ("the loss is
infinite") and `message` says so; the losses read as they are (inf or NaN).

History: one record per epoch (epoch 0 is the untrained network), capped at `max_history`
points. When full, the older half is thinned to every other point, so a session that runs all
day keeps its whole curve in bounded memory, coarser the further back it goes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from playground.engine.batches import Walk
from playground.engine.divergence import (
    QUIET,
    cannot_train_message,
    diverged_message,
    finite,
    what_blew_up,
    what_is_wrong,
)
from playground.engine.losses import Loss, get_loss
from playground.engine.network import Network
from playground.engine.optimizers import Optimizer
from playground.engine.problems import PROBLEMS
from playground.engine.regularization import Penalty, Regularizer


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

    Forward: `indices` (rows of the training set: an epoch's first batch may open with the
    rows the last epoch's remainder left waiting), `x` (B, n_in), `activations` (per layer,
    inputs first), `pre_activations` (each layer's z = x W + b, first hidden layer first),
    `output`; `epoch` (the epoch this step belongs to, from 1), `batch` of `batches` (which
    minibatch of the epoch it is, from 1; 0 when the rows were given). Loss: `targets`,
    `loss_per_sample` (B,), `loss` (their mean).
    Backward: `dW`, `db` per layer (gradients of the mean loss L); `deltas` per layer, the
    backward pass's own dL/dz (B, n_out), so dW = activations[l].T @ deltas[l] and db is its
    column sums; row n is 1/B of point n's own error signal dL_n/dz. `upstream` per layer, the
    backward's dL/da (the next layer's deltas through its weights), None where the backward
    began at z (the output of a fused loss: softmax or sigmoid with cross-entropy); and
    `derivatives`, f'(z) per layer by the layer's activation (None for softmax, which has no
    elementwise one): deltas[l] = upstream[l] * derivatives[l] wherever both exist.
    Update: `weights_before`, `biases_before`, `weights_after`, `biases_after`, with the `lr`
    used; `loss_after`, `loss_per_sample_after`: the same minibatch's loss with the weights
    after. For plain SGD without regularization, weights_after = weights_before - lr * dW
    exactly.
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
    pre_activations: list[np.ndarray]
    deltas: list[np.ndarray]
    upstream: list[np.ndarray | None]
    derivatives: list[np.ndarray | None]
    loss_per_sample_after: np.ndarray
    loss_after: float
    epoch: int
    batch: int
    batches: int


class Trainer:
    """Trains `network` on (x_train, y_train), reporting on (x_test, y_test) every epoch.

    x: network inputs (N, n_in); y: dataset labels (N,) as the loss reads them (-1/+1 for two
    classes, 0..K-1 for more, values for regression). Everything after the data is keyword-only.
    `problem` decides whether accuracy is recorded. `context` is free for whoever builds the
    trainer (experiment.build_trainer puts its Experiment there).
    """

    def __init__(self, network: Network, loss: str | Loss, optimizer: Optimizer,
                 x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray,
                 y_test: np.ndarray, *, batch_size: int = 10,
                 rng: np.random.Generator | None = None,
                 regularization: str | Regularizer | None = "none", reg_rate: float = 0.0,
                 problem: str = "classification", shuffle: bool = False,
                 max_history: int = 10_000) -> None:
        if problem not in PROBLEMS:
            raise ValueError(f"unknown problem {problem!r}; choose classification or regression")
        self.network = network
        self.loss = get_loss(loss)
        self.optimizer = optimizer
        self.problem = problem
        self.n_classes = None if problem == "regression" else max(2, network.sizes[-1])
        self.rng = rng if rng is not None else np.random.default_rng()
        self.reg_rate = float(reg_rate)
        self.penalty = Penalty(regularization, len(network.layers))
        self.x_train, self.t_train = self._inputs(x_train, y_train, "train")
        self.x_test, self.t_test = self._inputs(x_test, y_test, "test")
        if len(self.x_train) == 0:
            raise ValueError("the training set is empty")
        self._walk = Walk(self.x_train, self.t_train, self.rng, shuffle=shuffle)
        self._batch_size = 1
        self.batch_size = batch_size
        self.history = History(max_history)
        self.epoch = 0
        self.context: Any = None
        self._params = network.params()
        self._grads = network.grads()
        self._weights = network.weights
        self._snapshot = [p.copy() for p in self._params]
        self._start_run("initial")

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
        """Points per update. Changed mid-epoch, it batches the rest of the epoch."""
        return self._batch_size

    @batch_size.setter
    def batch_size(self, n: int) -> None:
        if int(n) < 1:
            raise ValueError(f"batch_size must be at least 1, got {n}")
        self._batch_size = int(n)

    @property
    def shuffle(self) -> bool:
        """Draw a new order of the training set every epoch (TF keeps one)."""
        return self._walk.shuffle

    @shuffle.setter
    def shuffle(self, on: bool) -> None:
        self._walk.shuffle = bool(on)

    @property
    def n_batches(self) -> int:
        """Minibatch steps in a whole epoch: N // batch_size (1 if batch_size >= N)."""
        return self._walk.updates(self._batch_size)

    # one step -----------------------------------------------------------------------------------
    def _step(self, xb: np.ndarray, tb: np.ndarray, update: bool = True) -> np.ndarray:
        """One minibatch step on inputs xb (B, n_in) with targets tb (B, n_out).

        Forward:  out = network(xb), (B, n_out); every layer caches its x, z and a
        Backward: dL/d(out) of the batch's mean loss L (dL/dz if the loss is fused), through
                  every layer to its dW (n_in, n_out) and db (n_out,)
        Update:   the optimizer's step, with the regularization penalty (skipped if not
                  `update`)

        Returns out. The update changes only the parameters: the layers' caches and gradients
        stay as the forward and backward left them, so `step_through` can copy them after.
        """
        out = self.network.forward(xb)
        self.network.backward(self.loss.grad(out, tb), self.loss.fused)
        if update:
            self._update()
        return out

    def _update(self) -> None:
        """The optimizer's step, with the regularization penalty around it (if any)."""
        penalty = self.penalty
        if penalty.active:
            ders = penalty.before(self._weights)
            self.optimizer.step(self._params, self._grads)
            penalty.after(self._weights, ders, self.optimizer.lr, self.reg_rate)
        else:
            self.optimizer.step(self._params, self._grads)

    # training ---------------------------------------------------------------------------------
    def train_epoch(self) -> bool:
        """Train on the rest of this epoch's minibatches (all of them, unless `train_step` was
        called mid-epoch), then record the losses. False if training has diverged."""
        if self.diverged:
            return False
        walk, step, batch_size = self._walk, self._step, self._batch_size
        with np.errstate(**QUIET):
            self._save_snapshot()
            done = False
            while not done:
                step(*walk.next(batch_size))
                done = walk.advance()
            return self._end_epoch()

    def train(self, epochs: int) -> bool:
        """Train `epochs` epochs (fewer if it diverges). False if diverged."""
        for _ in range(epochs):
            if not self.train_epoch():
                return False
        return not self.diverged

    def train_step(self, batch_indices: np.ndarray | None = None) -> float:
        """One minibatch step; returns the batch's mean loss before the update.

        Without `batch_indices`: the epoch's next minibatch (the epoch's last one records the
        epoch in the history). With them: those rows of the training set, and the epoch's walk
        is left where it was. Does nothing but return NaN once training has diverged.
        """
        if self.diverged:
            return float("nan")
        with np.errstate(**QUIET):
            xb, tb, _ = self._batch(batch_indices)
            self._save_snapshot()
            out = self._step(xb, tb)
            loss = self.loss.value(out, tb, self.network.logits)
            self._after_step(loss, advance=batch_indices is None)
        return loss

    def step_through(self, batch_indices: np.ndarray | None = None) -> Step:
        """One minibatch step, like `train_step`, with each phase's pieces returned as copies:
        Forward, Loss, Backward, Update, so a view can show them one at a time.

        Once training has diverged, the forward, loss and backward are still computed but no
        update is made (weights_after equals weights_before).
        """
        net, update, epoch = self.network, not self.diverged, self.epoch
        batch, batches = 0, self.n_batches
        if batch_indices is None:
            batch = self._walk.pos // min(self._batch_size, len(self.x_train)) + 1
        with np.errstate(**QUIET):
            xb, tb, rows = self._batch(batch_indices)
            weights_before, biases_before = net.get_weights()
            if update:
                self._save_snapshot()
            out = self._step(xb, tb, update)
            # the phases' values, copied before the epoch's end (if this is it) runs a forward
            activations = [a.copy() for a in net.activations]  # Forward: inputs first
            pre = [layer.z.copy() for layer in net.layers]
            per_sample = self.loss.per_sample(out, tb, net.logits)  # Loss
            loss = float(per_sample.mean())
            dW = [layer.dW.copy() for layer in net.layers]  # Backward
            db = [layer.db.copy() for layer in net.layers]
            deltas = [layer.dz.copy() for layer in net.layers]
            upstream = [None if layer.da is None else layer.da.copy() for layer in net.layers]
            derivatives = [None if layer.act.df is None else
                           np.broadcast_to(np.asarray(layer.act.df(z, a), dtype=float),
                                           z.shape).copy()
                           for layer, z, a in zip(net.layers, pre, activations[1:],
                                                  strict=True)]
            if update:
                self._after_step(loss, advance=batch_indices is None)
            # Update: the same minibatch through the weights as they are now
            after = net.forward(xb)
            per_sample_after = self.loss.per_sample(after, tb, net.logits)
        weights_after, biases_after = net.get_weights()  # Update (undone if it diverged)
        return Step(indices=rows, x=xb.copy(), activations=activations, output=out.copy(),
                    targets=tb.copy(), loss_per_sample=per_sample, loss=loss, dW=dW,
                    db=db, weights_before=weights_before, biases_before=biases_before,
                    weights_after=weights_after, biases_after=biases_after,
                    lr=self.optimizer.lr, epoch_done=self.epoch > epoch, diverged=self.diverged,
                    pre_activations=pre, deltas=deltas, upstream=upstream,
                    derivatives=derivatives, loss_per_sample_after=per_sample_after,
                    loss_after=float(per_sample_after.mean()), epoch=epoch + 1, batch=batch,
                    batches=batches)

    def _batch(self, batch_indices: np.ndarray | None
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(x, targets, rows) of the epoch's next minibatch, or of the given training rows."""
        if batch_indices is None:
            xb, tb = self._walk.next(self._batch_size)
            return xb, tb, self._walk.rows()
        rows = np.asarray(batch_indices).reshape(-1)
        if (len(rows) == 0 or not np.issubdtype(rows.dtype, np.integer) or rows.min() < 0
                or rows.max() >= len(self.x_train)):
            raise ValueError("batch_indices must be a non-empty list of training-set rows")
        rows = rows.astype(np.intp)
        return self.x_train[rows], self.t_train[rows], rows

    def _after_step(self, loss: float, advance: bool) -> None:
        """Roll back if the step made anything non-finite; else move the epoch's walk on (and
        record the epoch if that ended it)."""
        if not (math.isfinite(loss) and finite(self._params)):
            self._diverge(self.epoch + 1, loss)
        elif advance and self._walk.advance():
            self._end_epoch()

    def _end_epoch(self) -> bool:
        """Record the epoch's losses, or roll back if they (or the weights) are not finite."""
        if not self._record(self.epoch + 1):
            self._diverge(self.epoch + 1, *self._losses)
            return False
        self.epoch += 1
        return True

    # a run's state ----------------------------------------------------------------------------
    def load_weights(self, weights: list, biases: list, epoch: int | None = None) -> None:
        """Start a new run from these weights (ValueError unless every shape fits and every
        number is finite), at `epoch` (default: the current one).

        Reset, as in a new trainer: the history (its first record: these weights' losses),
        the optimizer's state (velocities, moments, Adam's step count), L1's pruned weights
        (every weight may move again), the epoch's walk (a new epoch begins; a remainder
        waiting from the last run is dropped) and any divergence. Kept by design: the
        settings (learning rate, batch size, regularization and its rate, shuffle), `context`,
        and the random generator, which goes on from where it is: with shuffle, the orders
        after loading depend on what this trainer drew before (a new trainer from the same
        seed replays a run). Weights whose loss is not finite are kept as loaded, and the
        trainer says so (see the module's docstring).
        """
        if epoch is not None and epoch < 0:
            raise ValueError(f"epoch must be >= 0, got {epoch}")
        self.network.set_weights(weights, biases)
        if epoch is not None:
            self.epoch = int(epoch)
        self._start_run("loaded")

    def _start_run(self, which: str) -> None:
        """Every per-run state afresh, from the weights as they are (`which`: "initial" or
        "loaded", for the message if they cannot be trained)."""
        self.history = History(self.history.max_points)
        self.diverged = False
        self.diverged_epoch: int | None = None
        self.divergence = ""  # what blew up, e.g. "the loss became infinite"
        self.message = ""
        self.optimizer.reset()
        self.penalty.reset()
        self._walk.restart()
        self._save_snapshot()
        if not self._record(self.epoch):
            self.diverged = True
            self.divergence = what_is_wrong(self._losses)
            self.message = cannot_train_message(which, self.divergence)
        self._start_losses = self._losses

    def _record(self, epoch: int) -> bool:
        """Record the losses of the weights as they are, as `epoch`'s; False (and nothing
        recorded) if a loss or the weights are not finite. `_losses` keeps the two losses."""
        with np.errstate(**QUIET):
            train_loss, train_acc = self._evaluate(self.x_train, self.t_train)
            test_loss, test_acc = self._evaluate(self.x_test, self.t_test)
        self._losses = (train_loss, test_loss)
        if not (math.isfinite(train_loss) and math.isfinite(test_loss) and finite(self._params)):
            return False
        self.history.append(epoch, train_loss, test_loss, train_acc, test_acc)
        return True

    def _save_snapshot(self) -> None:
        for s, p in zip(self._snapshot, self._params, strict=True):
            np.copyto(s, p)

    def _diverge(self, epoch: int, *losses: float) -> None:
        """Stop at `epoch`, back at the last finite weights, saying what blew up."""
        self.divergence = what_blew_up(losses, self._params)
        for s, p in zip(self._snapshot, self._params, strict=True):
            np.copyto(p, s)
        self.diverged = True
        self.diverged_epoch = epoch
        self.message = diverged_message(epoch, self.divergence, self.learning_rate)


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

    # the latest record (if there is none, the losses of weights that could not be trained)
    @property
    def train_loss(self) -> float:
        return self.history.train_loss[-1] if self.history.train_loss else self._start_losses[0]

    @property
    def test_loss(self) -> float:
        return self.history.test_loss[-1] if self.history.test_loss else self._start_losses[1]

    @property
    def train_accuracy(self) -> float | None:
        return self.history.train_accuracy[-1] if self.history.train_accuracy else None

    @property
    def test_accuracy(self) -> float | None:
        return self.history.test_accuracy[-1] if self.history.test_accuracy else None
