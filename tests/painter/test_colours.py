"""The colours stay apart for people with a colour-vision deficiency.

Each colour is passed through the simulations of Machado, Oliveira and Fernandes (2009,
"A physiologically-based model for simulation of color vision deficiency", severity 1.0:
protanopia, deuteranopia, tritanopia; applied to linear RGB), then compared in CIELAB:
CIE76 (Euclidean) and CIEDE2000 colour differences, and the lightness L*.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from playground.painter import network_data as nd
from playground.painter.output import CLASS_COLOURS

MACHADO = {
    "normal": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
SRGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],
                        [0.2126729, 0.7151522, 0.0721750],
                        [0.0193339, 0.1191920, 0.9503041]])
D65 = np.array([0.95047, 1.0, 1.08883])
MIN_DELTA_E = 20.0
ORANGE, BLUE = "#f59322", "#0877bd"


def linear_rgb(colour: str) -> np.ndarray:
    c = np.array([int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(colour: str, vision: str = "normal") -> np.ndarray:
    """CIELAB (D65) of `colour` as seen with `vision`."""
    rgb = np.clip(MACHADO[vision] @ linear_rgb(colour), 0.0, 1.0)
    t = SRGB_TO_XYZ @ rgb / D65
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def cie76(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b))


def ciede2000(lab1: np.ndarray, lab2: np.ndarray) -> float:
    """Sharma, Wu and Dalal's formulation of CIEDE2000 (kL = kC = kH = 1)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    dlp, dcp = l2 - l1, c2p - c1p
    dh = 0.0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    dhp = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    lbp, cbp = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hbp = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hbp = (h1p + h2p) / 2
    else:
        hbp = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * np.cos(np.radians(hbp - 30)) + 0.24 * np.cos(np.radians(2 * hbp))
         + 0.32 * np.cos(np.radians(3 * hbp + 6)) - 0.20 * np.cos(np.radians(4 * hbp - 63)))
    dtheta = 30 * np.exp(-(((hbp - 275) / 25) ** 2))
    rc = 2 * np.sqrt(cbp ** 7 / (cbp ** 7 + 25 ** 7))
    sl = 1 + 0.015 * (lbp - 50) ** 2 / np.sqrt(20 + (lbp - 50) ** 2)
    sc = 1 + 0.045 * cbp
    sh = 1 + 0.015 * cbp * t
    rt = -np.sin(np.radians(2 * dtheta)) * rc
    return float(np.sqrt((dlp / sl) ** 2 + (dcp / sc) ** 2 + (dhp / sh) ** 2
                         + rt * (dcp / sc) * (dhp / sh)))


def palette_colour(v: float) -> str:
    """The colour a LinearColorMapper(PALETTE, -1, 1) gives the value v (Bokeh's binning)."""
    n = len(nd.PALETTE)
    return nd.PALETTE[int(np.clip(np.floor((v + 1) / 2 * n), 0, n - 1))]


# the formulas against published values ---------------------------------------------------------
def test_ciede2000_matches_sharma_s_test_data() -> None:
    # pairs 1, 7 and 17 of Sharma, Wu and Dalal (2005), table 1
    assert ciede2000(np.array([50, 2.6772, -79.7751]), np.array([50, 0, -82.7485])) == \
        pytest.approx(2.0425, abs=1e-4)
    assert ciede2000(np.array([50, 0, 0]), np.array([50, -1, 2])) == pytest.approx(2.3669,
                                                                                   abs=1e-4)
    assert ciede2000(np.array([50, 2.5, 0]), np.array([73, 25, -18])) == pytest.approx(27.1492,
                                                                                       abs=1e-4)


def test_the_simulations_keep_grey_grey_and_merge_red_and_green_for_red_green_deficiencies(
        ) -> None:
    for vision in MACHADO:
        grey = lab("#808080", vision)
        assert abs(grey[1]) < 1.5, vision
        assert abs(grey[2]) < 1.5, vision
    normal = cie76(lab("#d62728"), lab("#2ca02c"))
    for vision in ("protanopia", "deuteranopia"):
        assert cie76(lab("#d62728", vision), lab("#2ca02c", vision)) < normal / 2


# the playground's colours ---------------------------------------------------------------------
def test_the_two_classes_are_the_palette_ends_and_the_first_class_colours() -> None:
    assert nd.PALETTE[0] == ORANGE
    assert nd.PALETTE[-1] == BLUE
    assert CLASS_COLOURS[:2] == (ORANGE, BLUE)


@pytest.mark.parametrize("vision", list(MACHADO))
def test_orange_and_blue_stay_apart(vision: str) -> None:
    a, b = lab(ORANGE, vision), lab(BLUE, vision)
    assert cie76(a, b) > 3 * MIN_DELTA_E
    assert ciede2000(a, b) > 2 * MIN_DELTA_E


@pytest.mark.parametrize("vision", list(MACHADO))
def test_every_pair_of_class_colours_stays_apart(vision: str) -> None:
    labs = [lab(c, vision) for c in CLASS_COLOURS]
    close = [(CLASS_COLOURS[i], CLASS_COLOURS[j], round(cie76(labs[i], labs[j]), 1))
             for i, j in itertools.combinations(range(len(labs)), 2)
             if cie76(labs[i], labs[j]) <= MIN_DELTA_E]
    assert not close, f"too close with {vision}: {close}"
    # three classes (the spiral's) apart by CIEDE2000 too, the stricter measure
    for i, j in itertools.combinations(range(3), 2):
        assert ciede2000(labs[i], labs[j]) > MIN_DELTA_E, (vision, CLASS_COLOURS[i],
                                                           CLASS_COLOURS[j])


def test_class_colours_stand_out_from_the_white_page() -> None:
    for colour in CLASS_COLOURS:
        for vision in MACHADO:
            assert cie76(lab(colour, vision), lab("#ffffff", vision)) > MIN_DELTA_E, colour


@pytest.mark.parametrize("vision", list(MACHADO))
@pytest.mark.parametrize("weight", [0.5, 1.0, 1.5, 3.0, 10.0])
def test_positive_and_negative_weights_differ_in_colour_and_lightness(vision: str,
                                                                      weight: float) -> None:
    v = float(nd.colour_values(np.array([weight]))[0])
    plus, minus = lab(palette_colour(v), vision), lab(palette_colour(-v), vision)
    assert cie76(plus, minus) > MIN_DELTA_E
    # lightness alone tells them apart (even in grey scale): positive (blue) is the darker,
    # more so the larger the weight; the simulations shift lightness a little, never the order
    assert minus[0] - plus[0] > (20 * v - 1.5 if vision == "normal" else 10 * v)
