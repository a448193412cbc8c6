"""Engine speed in CPython: epochs/s of the Trainer against a minimal hand-written numpy loop.

Both do the same work per epoch: minibatches of 10 over 250 training points (tanh everywhere,
squared error, plain SGD, lr 0.03), then the loss over the 250 training and 250 test points.
`python bench/engine_bench.py` prints a markdown table; `run()` returns the numbers.
"""

from __future__ import annotations

import functools
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playground.experiment import Config, build_experiment  # noqa: E402

CASES = (  # (label, dataset, hidden)
    ("2-4-2-1 tanh, circle", "circle", (4, 2)),
    ("2-8x6-1 tanh, spiral", "spiral", (8,) * 6),
)


def minimal_epoch(Ws: list, bs: list, x: np.ndarray, y: np.ndarray, xt: np.ndarray,
                  yt: np.ndarray, lr: float, batch: int) -> tuple[float, float]:
    """The reference: one epoch of minibatch SGD written out by hand, then both losses."""
    n_layers = len(Ws)
    for s in range(0, len(x), batch):
        a = x[s:s + batch]
        t = y[s:s + batch]
        acts = [a]
        for W, b in zip(Ws, bs, strict=True):
            a = np.tanh(a @ W + b)
            acts.append(a)
        d = (a - t) / len(a)  # dL/da of 0.5 * mean (a - t)^2
        for i in range(n_layers - 1, -1, -1):
            dz = d * (1.0 - acts[i + 1] ** 2)
            if i:
                d = dz @ Ws[i].T
            Ws[i] -= lr * (acts[i].T @ dz)
            bs[i] -= lr * dz.sum(axis=0)
    losses = []
    for xs, ys in ((x, y), (xt, yt)):
        a = xs
        for W, b in zip(Ws, bs, strict=True):
            a = np.tanh(a @ W + b)
        losses.append(0.5 * float(np.mean((a - ys) ** 2)))
    return losses[0], losses[1]


def _time(fn, epochs: int) -> float:
    start = time.perf_counter()
    for _ in range(epochs):
        fn()
    return epochs / (time.perf_counter() - start)


def measure(dataset: str, hidden: tuple[int, ...], epochs: int = 300, repeats: int = 5
            ) -> dict:
    """Median epochs/s of the engine and of the minimal loop, from fresh networks each repeat."""
    engine, minimal = [], []
    for r in range(repeats):
        exp = build_experiment(Config(dataset=dataset, hidden=hidden, seed=r + 1))
        trainer = exp.trainer
        Ws = [w.copy() for w in trainer.network.weights]
        bs = [b.copy() for b in trainer.network.biases]
        x, y = trainer.x_train, trainer.t_train
        xt, yt = trainer.x_test, trainer.t_test
        # alternate, so both see the same machine state
        engine.append(_time(trainer.train_epoch, epochs))
        minimal.append(_time(functools.partial(minimal_epoch, Ws, bs, x, y, xt, yt, 0.03, 10),
                             epochs))
    return {"engine": statistics.median(engine), "minimal": statistics.median(minimal)}


def run(epochs: int = 300, repeats: int = 5) -> list[dict]:
    """One row per case: label, engine and minimal epochs/s, and minimal / engine."""
    rows = []
    for label, dataset, hidden in CASES:
        m = measure(dataset, hidden, epochs, repeats)
        rows.append({"case": label, "engine_eps": m["engine"], "minimal_eps": m["minimal"],
                     "ratio": m["minimal"] / m["engine"]})
    return rows


def markdown(rows: list[dict]) -> str:
    lines = ["| network, data | engine (epochs/s) | minimal numpy loop (epochs/s) | "
             "minimal / engine |", "| --- | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {r['case']} | {r['engine_eps']:,.0f} | {r['minimal_eps']:,.0f} | "
                     f"{r['ratio']:.2f}x |")
    lines.append("")
    lines.append("Batch 10, 250 training and 250 test points, both losses every epoch; "
                 "median of 5 runs of 300 epochs. The engine also records accuracy each epoch.")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(run()))
