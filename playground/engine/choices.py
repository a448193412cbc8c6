"""What a user can choose, declared once: `Choice`, the names every registry's entry carries.

An activation, a loss, an optimizer, a regularization, an initializer, a problem (here), a
dataset and an input feature (playground.data) are each one entry of a registry, `{name:
entry}`, as TensorFlow Playground's state.ts names its values once (`"relu": RELU`). Each entry
says, besides what it computes, how every layer spells and shows it:

    name      ours: in code, a Config, a saved model ("plane", "l1", "x1sq")
    label     the words the page shows ("Plane", "L1", "X₁²")
    tf_name   TensorFlow Playground's spelling in its links ("reg-plane", "L1", "xSquared"), or
              None where it has no such value
    url_name  ours in a link, where TensorFlow Playground has no such value and `name` will not
              do (the cosX feature key); None: `name`
    cli_name  the command line's; None: the link's (the command line also takes the others)
    page      the page offers it (its menus and its links)
    doc       one line on what it does (the activation view shows an activation's)

Everything else (the page's menus and links, the command line's choices and help, the README's
key table) is derived from the registries, so an entry added to one appears everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import KW_ONLY, dataclass
from typing import TypeVar


@dataclass(frozen=True)
class Choice:
    """One value a user can choose, and its spellings (see the module's docstring). Registry
    entries subclass it: the names are keyword-only, after what the entry computes."""

    name: str
    _: KW_ONLY
    label: str = ""
    tf_name: str | None = None
    url_name: str | None = None
    cli_name: str | None = None
    page: bool = True
    doc: str = ""

    @property
    def url(self) -> str:
        """The spelling in a link: TensorFlow Playground's where it has the value, else ours."""
        return self.tf_name or self.url_name or self.name

    @property
    def cli(self) -> str:
        """The spelling the command line shows: the link's, unless it has its own."""
        return self.cli_name or self.url

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every spelling that names it, ours first (each once)."""
        return tuple(dict.fromkeys((self.name, self.url, self.cli)))

    @property
    def shown(self) -> str:
        """The words the page shows: the label, or else the name."""
        return self.label or self.name


C = TypeVar("C", bound=Choice)


def registry(entries: Iterable[C]) -> dict[str, C]:
    """`{name: entry}` in order; ValueError if a spelling names two entries."""
    table: dict[str, C] = {}
    for entry in entries:
        add(table, entry)
    return table


def add(table: dict[str, C], entry: C) -> None:
    """Register `entry` in `table` (ValueError if one of its spellings names another entry;
    an entry of the same name is replaced)."""
    taken = {s: e.name for e in table.values() if e.name != entry.name for s in e.spellings}
    for spelling in entry.spellings:
        if spelling in taken:
            raise ValueError(f"{entry.name!r}: the spelling {spelling!r} names "
                             f"{taken[spelling]!r} already")
    table[entry.name] = entry


def lookup(table: Mapping[str, Choice], text: object) -> str | None:
    """Our name of the entry that `text` spells (ours, the link's or the command line's);
    None if none does."""
    if not isinstance(text, str):
        return None
    if text in table:
        return text
    for entry in table.values():
        if text in entry.spellings:
            return entry.name
    return None


def offered(table: Mapping[str, C]) -> dict[str, C]:
    """The entries the page offers, in order."""
    return {name: entry for name, entry in table.items() if entry.page}
