"""Fuzzing the link parser: whatever a link holds, `State.from_url` gives a usable state.

Thousands of random and malformed hashes and queries (wrong types, huge numbers, NaN, inf,
negative sizes, unknown and empty keys, 10,000-character values, unicode with surrogates,
right-to-left marks, emoji and NUL, broken percent-encoding, HTML and script fragments,
repeated keys, `=` inside values) go through the parser. It never raises; the state it gives
is within every bound and builds; every value it ignored or changed is named in a short,
printable notice (and nothing else is); and its own link reads back to the same state.

The reference below (`expected`) says, independently of the parser, what each key's value
should do: be used as it is, or be named in a notice.
"""

from __future__ import annotations

import math
import string
from typing import Any
from urllib.parse import quote, unquote

import param
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from playground.experiment import build_trainer
from playground.state import (
    FEATURE_KEYS,
    FIELDS,
    HIDEABLE,
    IGNORED_KEYS,
    MAX_HIDDEN_LAYERS,
    MAX_NEURONS,
    State,
)

RUNS = settings(max_examples=1500, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
NOTICE_LIMIT = 160
BY_KEY = {f.key: f for f in FIELDS}
KNOWN_KEYS = [*BY_KEY, *FEATURE_KEYS.values(), *IGNORED_KEYS, *(f"{c}_hide" for c in HIDEABLE)]
URL_SAFE = set(string.ascii_letters + string.digits + "-._~%,&=")

# Values that have broken parsers somewhere ------------------------------------------------------
NASTY_NUMBERS = [
    "NaN", "nan", "-nan", "inf", "-inf", "Infinity", "+inf", "1e309", "-1e309", "1e308",
    "-1e308", "9" * 400, "-" + "9" * 400, "1e-400", "5e-324", "-5", "-0", "0", "0.5", "2.5",
    "4.0", "4.", ".5", "1_000", "0x10", "1e2", " 7 ", "\t3\n", "١٢", "𝟗", "٣.٥", "+4", "--4",
    "4e", "", " ", "true", "null", "undefined", "[]", "{}", "1,2", "3.3e1", "30.0000000001",
    "1e-7", "1e-6", "0.000001", "10.0000001", "0.123456789", "1e9", "-1e9", "1e10",
]
NASTY_SHAPES = [
    "", ",", "4,", ",4", "4,,2", "-1", "-4,2", "0", "0,0", "99", "4,99", "1e9", "NaN",
    "inf,2", "1,2,3,4,5,6,7", "8,8,8,8,8,8,8,8,8,8", "2.5,3", "4 , 2", "1" * 500,
    ",".join(["8"] * 5000), "٤,٢",
]
NASTY_TEXT = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)",
    '"><svg onload=alert(1)>', "'; DROP TABLE x; --", "{{7*7}}", "${7*7}", "a=b=c", "=",
    "==", "&", "#", "?", "%", "%%", "%G0", "%2", "%ff", "%FF%FE", "%C3", "%C3%28",
    "%ED%A0%80", "%E2%80%AE", "%00", "%0A", "%3Cscript%3E", "%25", "%2525", "+", "a+b",
    "\x00", "\x1b[31m", "\u202eevil", "\u200f\u200e", "\ud800", "\udfff", "\ud83d",
    "😀", "👨‍👩‍👧", "🏳️‍🌈", "\u0301" * 50, "ﷺ", "\ufeff", "\ufffd", "\u2028", "\x7f",
    "A" * 10_000, "😀" * 10_000, "\x00" * 10_000, "%" * 10_000, "<" * 10_000,
    "tanh\x00", "TANH", "Tanh", "l2", "L2", "none", "None", "reg-plane", "plane",
    "spiral\u200b", " circle",
]
SPECIAL_CHARS = ("\x00\x01\x1f\x7f\x85\xa0\xad\u200b\u200e\u200f\u202a\u202e\u2066\u2028"
                 "\ufeff\ufffd\ud800\udbff\udc00\udfff😀🙂\u0301\u0645\u05d0<>\"'&=#?%+;/\\ ")


def _valid_values(key: str) -> list[str]:
    """Spellings a correct link uses for `key` (so the fuzzer also mixes good values in)."""
    if key in BY_KEY:
        p = State.param[BY_KEY[key].name]
        if isinstance(p, param.Selector):
            return [BY_KEY[key].write_value(v) or "" for v in p.objects]
        if isinstance(p, param.Boolean):
            return ["true", "false", "1", "0", "", "TRUE"]
        if isinstance(p, param.Number):
            lo, hi = p.bounds
            return [str(lo), str(hi), str(p.default), f"{(lo + hi) / 2:g}"]
        if key == "networkShape":
            return ["4,2", "8", "1,1,1,1,1,1", ""]
        return ["1", "0.71549", "abc", "Ünïcødé 😀"]  # seed
    return ["true", "false", "1", "0", ""]


keys = st.one_of(
    st.sampled_from(KNOWN_KEYS),
    st.sampled_from(KNOWN_KEYS).map(str.upper),
    st.text(max_size=12),
    st.text(alphabet=SPECIAL_CHARS, max_size=6),
    st.text(max_size=8).map(lambda s: s + "_hide"),
    st.just(""),
)
values = st.one_of(
    st.sampled_from(NASTY_NUMBERS),
    st.sampled_from(NASTY_SHAPES),
    st.sampled_from(NASTY_TEXT),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.lists(st.integers(min_value=-20, max_value=20), max_size=9).map(
        lambda sizes: ",".join(map(str, sizes))),
    st.text(max_size=30),
    st.text(alphabet=SPECIAL_CHARS, max_size=30),
    st.sampled_from(sorted({v for k in KNOWN_KEYS for v in _valid_values(k)})),
)


@st.composite
def links(draw) -> str:
    """A hash or query: pairs of (mostly known) keys and (mostly bad) values, raw or
    percent-encoded, with repeats, bare keys, empty parts and `#`/`?` in front."""
    pairs = draw(st.lists(st.tuples(keys, values, st.sampled_from(["raw", "quoted", "bare"])),
                          max_size=14))
    if pairs and draw(st.booleans()):  # a key given twice
        pairs.append(draw(st.sampled_from(pairs)))
    parts = []
    for key, value, form in pairs:
        if form == "bare":
            parts.append(key)
        elif form == "quoted":
            parts.append(quote(key, safe="", errors="surrogatepass") + "=" +
                         quote(value, safe="", errors="surrogatepass"))
        else:
            parts.append(f"{key}={value}")
    separator = draw(st.sampled_from(["&", "&", "&", "&&"]))
    return draw(st.sampled_from(["", "", "#", "?", "#?"])) + separator.join(parts)


# The reference: what each key's value should do -------------------------------------------------
def _pairs(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(decoded pairs, parts that are not valid percent-encoded UTF-8)."""
    pairs, broken = [], []
    for part in text.lstrip("#?").split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        try:
            pairs.append((unquote(key, errors="strict"), unquote(value, errors="strict")))
        except UnicodeDecodeError:
            broken.append(part)
    return pairs, broken


def _float(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _bool(text: str) -> bool | None:
    return {"true": True, "1": True, "false": False, "0": False, "": True}.get(text.lower())


NO = object()  # "this value cannot be used as it is"


def expected(key: str, value: str) -> Any:
    """The value `key=value` sets exactly as given, or NO if it must be named in a notice.
    Returns None for keys that set nothing and need no notice."""
    if key in IGNORED_KEYS:
        return None
    if key in FEATURE_KEYS.values():
        flag = _bool(value)
        return NO if flag is None else flag
    if key.endswith("_hide"):
        flag = _bool(value)
        return NO if key[: -len("_hide")] not in HIDEABLE or flag is None else flag
    if key not in BY_KEY:
        return NO
    field = BY_KEY[key]
    p = State.param[field.name]
    if isinstance(p, param.Boolean):
        flag = _bool(value)
        return NO if flag is None else flag
    if isinstance(p, param.Selector):
        spellings = {field.write_value(v): v for v in p.objects} | {v: v for v in p.objects}
        return spellings.get(value, NO)
    if isinstance(p, param.Number):
        number = _float(value)
        lo, hi = p.bounds
        if number is None or not lo <= number <= hi:
            return NO
        if isinstance(p, param.Integer) and number != int(number):
            return NO
        return number
    if field.name == "hidden":
        if value.strip() == "":
            return []
        sizes = [_float(part) for part in value.split(",")]
        if len(sizes) > MAX_HIDDEN_LAYERS or any(
                s is None or s != int(s) or not 1 <= s <= MAX_NEURONS for s in sizes):
            return NO
        return [int(s) for s in sizes]
    text = value.strip()  # seed
    return text if text and len(text) <= 64 and text.isprintable() else NO


def _shown(text: str, limit: int = 40) -> str:
    """How a notice quotes `text` (printable, at most `limit` characters)."""
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _value_of(state: State, key: str) -> Any:
    if key in BY_KEY:
        return getattr(state, BY_KEY[key].name)
    feature = next(f for f, k in FEATURE_KEYS.items() if k == key)
    return feature in state.features


# The properties ----------------------------------------------------------------------------------
def check_valid(state: State) -> None:
    """Every parameter within its bounds; a network the page can draw; a config that runs."""
    for name, p in state.param.objects("existing").items():
        if name == "name":
            continue
        value = getattr(state, name)
        p._validate(value)  # param's own type, bounds and objects check
        if isinstance(p, param.Number) and not isinstance(p, param.Integer):
            assert math.isfinite(value), name
        if isinstance(p, param.Integer):
            assert type(value) is int, (name, value)
    assert len(state.hidden) <= MAX_HIDDEN_LAYERS
    assert all(type(n) is int and 1 <= n <= MAX_NEURONS for n in state.hidden), state.hidden
    assert state.features, "at least one input feature is on"
    assert len(set(state.features)) == len(state.features)
    assert set(state.hidden_controls) <= set(HIDEABLE)
    assert len(set(state.hidden_controls)) == len(state.hidden_controls)
    assert state.seed == state.seed.strip()
    assert 0 < len(state.seed) <= 64
    assert state.seed.isprintable()
    state.to_config()  # raises ValueError if the engine would refuse it


def features_all_off(text: str) -> bool:
    """Does the link switch every input feature off? (The parser keeps the default ones.)"""
    pairs, _ = _pairs(text)
    last = dict(pairs)
    features = {"x1", "x2"}
    for feature, key in FEATURE_KEYS.items():
        flag = _bool(last[key]) if key in last else None
        if flag is not None:
            (features.add if flag else features.discard)(feature)
    return not features


def names(notice: str, key: str) -> bool:
    """Does `notice` name the key `key` (as a known key, or quoted)?"""
    return notice.startswith(_shown(key) + ":") or f"'{_shown(key)}'" in notice


def check_notices(text: str, state: State, notices: list[str]) -> None:
    """Each ignored or changed value named in a notice; used values used as they are; no
    notice for a link the page can use as it is."""
    for notice in notices:
        assert isinstance(notice, str)
        assert 0 < len(notice) <= NOTICE_LIMIT, notice
        assert notice.isprintable(), repr(notice)
    pairs, broken = _pairs(text)
    for part in broken:
        assert any(f"'{_shown(part)}'" in n for n in notices), (part, notices)
    last = dict(pairs)
    must_name = {key for key, value in pairs if last[key] != value}  # the earlier one ignored
    all_off = features_all_off(text)
    for key, value in last.items():
        want = expected(key, value)
        if want is NO:
            must_name.add(key)
        elif want is None:
            continue
        elif key.endswith("_hide"):
            assert (key[: -len("_hide")] in state.hidden_controls) == want, (key, value)
        elif key not in FEATURE_KEYS.values() or not all_off:
            assert _value_of(state, key) == want, (key, value, _value_of(state, key))
    for key in must_name:
        assert any(names(n, key) for n in notices), (key, notices)
    if all_off:
        assert state.features == ["x1", "x2"]
        assert any("feature" in n for n in notices), notices
    if not must_name and not broken and not all_off:
        assert notices == [], notices


def check_round_trip(state: State) -> None:
    link = state.to_url()
    assert set(link) <= URL_SAFE, link  # ASCII, percent-encoded: safe in any address bar
    again, notices = State.from_url(link)
    assert notices == []
    assert again == state


@RUNS
@given(links())
@example("networkShape=" + ",".join(["8"] * 5000))
@example("&".join(f"k{i}=v" for i in range(2000)))
@example("dataset=xor&dataset=spiral&=&==&&seed=%ED%A0%80&x=false&y=false")
@example("noise=2.5&batchSize=-0&learningRate=0.123456789&percTrainData=30.0000000001")
@example("seed=" + "😀" * 64 + "&activation=\ud800&\u202e=1&_hide=true&share_hide=maybe")
def test_any_link_gives_a_valid_state_with_a_notice_per_ignored_value(text: str) -> None:
    state, notices = State.from_url(text)
    check_valid(state)
    check_notices(text, state, notices)
    check_round_trip(state)


@settings(max_examples=80, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(links())
def test_the_state_of_any_link_builds_a_trainer(text: str) -> None:
    state, _ = State.from_url(text)
    trainer = build_trainer(state.to_config())
    trainer.train_epoch()
    assert math.isfinite(trainer.history.train_loss[-1])


@pytest.mark.parametrize("text", [None, 42, 3.5, b"dataset=xor", ["dataset=xor"], object()])
def test_a_link_that_is_not_text_gives_the_defaults_and_a_notice(text: Any) -> None:
    state, notices = State.from_url(text)
    assert state == State()
    assert len(notices) == 1
    assert notices[0].isprintable()
    assert len(notices[0]) <= NOTICE_LIMIT
