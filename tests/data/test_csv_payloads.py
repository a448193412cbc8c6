"""A CSV file is untrusted text: its error messages quote it as plain text, never as markup.

The page shows these messages; whatever shows them must escape them (as the model file's
messages are, in playground.views.files). Here: every message is one short printable line; the
only markup-like characters in it are the file's own (quoted as they are, not pre-escaped, so
escaping once is right); control, bidi and surrogate characters become '?'.
"""

from __future__ import annotations

import re

import pytest

from playground.data.csv import dataset_from_csv

PAYLOADS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>',
    "javascript:alert(1)", "=HYPERLINK(\"http://x\")", "&lt;b&gt;", "{{7*7}}",
    "a\x00b", "\u202eevil", "\ud800", "x\x1b[31m", "😀" * 40, "<" * 500,
]
SHOWN = 30  # playground.data.csv quotes at most this many characters of a field


def message_for(text: str, problem: str = "classification") -> str:
    with pytest.raises(ValueError, match=r"^(line \d+:|the file )") as info:
        dataset_from_csv(text, problem)
    return str(info.value)


def quoted(field: str) -> str:
    text = "".join(c if c.isprintable() else "?" for c in field.strip())
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("column", [0, 1, 2])
def test_a_payload_in_any_column_is_quoted_as_plain_text(payload: str, column: int) -> None:
    fields = ["1", "2", "1"]
    fields[column] = payload.replace(",", ";")
    message = message_for("1,2,1\n" + ",".join(fields) + "\n")
    assert message.startswith("line 2: ")
    assert message.isprintable()
    assert "\n" not in message
    assert len(message) <= 120
    shown = quoted(fields[column])
    assert f"'{shown}'" in message
    # Nothing markup-like besides the file's own text, and that not escaped already.
    assert not re.search(r"[<>&\"]", message.replace(shown, ""))
    assert "&lt;" not in message.replace(shown, "")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_other_errors_of_a_payload_file_stay_plain_too(payload: str) -> None:
    for text in (f"{payload}\n", f"1,2,1\n3,4,1,{payload}\n", f"h,{payload},z\n1,2,1\n"):
        message = message_for(text)
        assert message.isprintable()
        assert len(message) <= 120
        assert not re.search(r"[<>&\"]", message), message  # the payload is not quoted here
