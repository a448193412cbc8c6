"""The order of training: each epoch's walk through the training set in minibatches, by
TensorFlow Playground's rule.

TF Playground (src/playground.ts, `oneStep`) walks the training points in the same order every
epoch. It backpropagates each point, adding its gradients to sums kept in the network (nn.ts,
`accErrorDer`, `accInputDer`, with a count `numAccumulatedDers`), and updates the weights when

    (i + 1) % batchSize == 0        i: the point's index within the epoch

dividing each sum by its count (`updateWeights`), i.e. with the mean gradient of the points
summed since the last update. The sums are not cleared at the end of an epoch. So when B, the
batch size, does not divide N, the training set's size, the last r = N mod B points of an
epoch are backpropagated but not applied: their gradients wait in the sums and are applied
with the next epoch's first B points, as one update of B + r points. Nothing changes the
weights in between, so that is exactly one minibatch step on those B + r rows, which is how
this walk takes it: the remainder's rows are carried into the next epoch's first batch.

    N = 250, B = 7:  35 updates an epoch; the first epoch's are 7 points each, then points
                     245-249 wait; every later epoch opens with 12 points (5 + 7), then 7s.

Every update of an epoch is one step; the epoch's last update ends it (and the remainder, if
any, waits). Two cases TF never meets (its slider stops at 30, its smallest training set has
50 points) are taken as the rule extends: B >= N trains on all N at once (TF would never
update); B changed mid-epoch batches the rest of the epoch by the new B from where the walk
is (the next update at the next multiple of the new B).

`shuffle`: a new order is drawn from `rng` at the start of every epoch (TF keeps one order;
data.datasets shuffles the points once when it makes them). A carried remainder keeps its
rows from the previous epoch's order.
"""

from __future__ import annotations

import numpy as np

Array = np.ndarray


class Walk:
    """Where training is in the epoch: x (N, n_in) and targets t (N, n_out) in minibatches.

    `next(batch_size)` -> (x, t) of the next minibatch, without moving on; `rows()` its rows
    of the training set; `advance()` moves past it and returns True if that ended the epoch.
    """

    def __init__(self, x: Array, t: Array, rng: np.random.Generator, *,
                 shuffle: bool = False) -> None:
        self.x, self.t, self.rng, self.shuffle = x, t, rng, shuffle
        self.n = len(x)
        self.restart()

    def restart(self) -> None:
        """Begin a new epoch, with nothing carried (a new run starts here)."""
        self.pos = 0  # position in this epoch's order of the next row to train on
        self.order: Array | None = None  # this epoch's row order (None: not drawn yet)
        self._xo = self._to = None  # x and t in that order
        self._carried: Array | None = None  # rows waiting from the last epoch, their x and t
        self._carry_x = self._carry_t = None
        self._end, self._b = 0, 1  # where the batch handed out by `next` ends; its B

    def updates(self, batch_size: int) -> int:
        """Updates in a whole epoch: N // B (one if B >= N)."""
        return max(1, self.n // batch_size)

    def next(self, batch_size: int) -> tuple[Array, Array]:
        """(x, t) of the next minibatch: any carried rows, then this epoch's rows up to the
        next multiple of `batch_size` (TF's `(i + 1) % batchSize == 0`)."""
        if self.order is None:
            self._arrange()
        n, b, start = self.n, min(batch_size, self.n), self.pos
        end = min((start // b + 1) * b, n)
        self._end, self._b = end, b
        xb, tb = self._xo[start:end], self._to[start:end]
        if self._carry_x is not None:
            xb = np.concatenate((self._carry_x, xb))
            tb = np.concatenate((self._carry_t, tb))
        return xb, tb

    def rows(self) -> Array:
        """The training-set rows of the batch `next` handed out, in order."""
        rows = self.order[self.pos:self._end]
        return rows.copy() if self._carried is None else np.concatenate((self._carried, rows))

    def advance(self) -> bool:
        """Move past the batch `next` handed out; True if it ended the epoch. When less than a
        batch is left, the epoch ends and what is left waits for the next one."""
        end = self._end
        if self._carried is not None:
            self._carried = self._carry_x = self._carry_t = None
        if self.n - end >= self._b:
            self.pos = end
            return False
        if end < self.n:  # the remainder: backpropagated in TF, applied with the next batch
            self._carried = self.order[end:].copy()
            self._carry_x, self._carry_t = self._xo[end:].copy(), self._to[end:].copy()
        self.pos = 0
        self.order = None  # the next epoch arranges its rows afresh
        return True

    def _arrange(self) -> None:
        if self.shuffle:
            self.order = self.rng.permutation(self.n)
            self._xo, self._to = self.x[self.order], self.t[self.order]
        else:
            self.order = np.arange(self.n)
            self._xo, self._to = self.x, self.t
