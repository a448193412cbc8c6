"""The fully connected layer: forward and backward side by side, as cs231n's affine layers."""

from __future__ import annotations

import numpy as np

from playground.engine.activations import Activation, get_activation


class Dense:
    """a = f(x @ W + b), for a batch of N rows at once.

    W: (n_in, n_out), b: (n_out,). `forward` caches what `backward` needs; `backward` only
    computes gradients (into `dW`, `db`, arrays reused from step to step) and never changes the
    weights: an optimizer does that, so the gradients can be drawn and checked.
    """

    def __init__(self, n_in: int, n_out: int, activation: str | Activation = "tanh", *,
                 output: bool = False) -> None:
        self.act = get_activation(activation, output=output)
        self.W = np.zeros((n_in, n_out))  # set by an initializer
        self.b = np.zeros(n_out)
        self.dW = np.zeros((n_in, n_out))  # dL/dW of the mean-over-batch loss L
        self.db = np.zeros(n_out)  # dL/db
        self._f = self.act.f  # bound once: no lookups on the hot path
        self._df = self.act.df
        self.x = self.z = self.a = None  # the cache of the last forward
        # the last backward's dL/da (None when it began at z: a fused loss) and dL/dz, of the
        # mean loss (kept, not copied: what a step-through shows as each neuron's error)
        self.da = self.dz = None

    @property
    def n_in(self) -> int:
        return self.W.shape[0]

    @property
    def n_out(self) -> int:
        return self.W.shape[1]

    def forward(self, x: np.ndarray) -> np.ndarray:
        """z = x @ W + b, a = f(z).

        x: (N, n_in) -> a: (N, n_out). Caches x, z and a.
        """
        z = x @ self.W  # (N, n_out)
        z += self.b
        a = self._f(z)  # (N, n_out)
        self.x, self.z, self.a = x, z, a
        return a

    def backward(self, da: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        """From dL/da to dL/dz = da * f'(z), then to dW, db and dx.

        da: (N, n_out), the upstream derivative dL/da. Stores dW = x^T dz (n_in, n_out) and
        db = sum_rows(dz) (n_out,); returns dx = dz W^T (N, n_in), or None if not `need_dx`
        (the first layer's input gradient is never used).
        """
        if self._df is None:
            raise ValueError(f"{self.act.name} has no elementwise derivative: pair it with a "
                             "loss whose gradient is taken before it (backward_z)")
        dz = da * self._df(self.z, self.a)  # (N, n_out)
        out = self.backward_z(dz, need_dx)
        self.da = da
        return out

    def backward_z(self, dz: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        """From dL/dz (N, n_out), the gradient before the activation, to dW, db and dx."""
        self.da, self.dz = None, dz
        np.matmul(self.x.T, dz, out=self.dW)  # (n_in, n_out)
        np.sum(dz, axis=0, out=self.db)  # (n_out,)
        return dz @ self.W.T if need_dx else None  # (N, n_in)

    def __repr__(self) -> str:
        return f"Dense({self.n_in}, {self.n_out}, {self.act.name!r})"
