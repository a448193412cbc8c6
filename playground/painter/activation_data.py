"""The activation explorer's curves: f(x) and f'(x) sampled on a line, with numpy alone."""

from __future__ import annotations

import numpy as np

from playground.engine.activations import ACTIVATIONS


def curves(name: str, lo: float = -4.0, hi: float = 4.0, n: int = 161) -> dict[str, np.ndarray]:
    """x (n points from lo to hi), f(x) and f'(x) for the activation called `name`.

    All three are float arrays of length n. ValueError if `name` is not a hidden activation.
    """
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose from {', '.join(ACTIVATIONS)}")
    act = ACTIVATIONS[name]
    x = np.linspace(lo, hi, n, dtype=float)
    f = np.asarray(act.f(x), dtype=float)
    # df may be a scalar (linear) or a boolean array (relu): make it a float array like x.
    df = np.array(np.broadcast_to(np.asarray(act.df(x, f), dtype=float), x.shape), dtype=float)
    return {"x": x, "f": f, "df": df}
