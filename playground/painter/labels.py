"""The words the page shows for the settings' values: each registry entry's `label` (and an
activation's `doc`, engine.choices), read from the registry whenever asked (so an entry
registered late has its words too)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from playground.data.datasets import DATASETS
from playground.data.features import FEATURES
from playground.engine.activations import ACTIVATIONS
from playground.engine.choices import Choice
from playground.engine.optimizers import OPTIMIZERS
from playground.engine.problems import PROBLEMS
from playground.engine.regularization import REGULARIZERS


class Labels(Mapping[str, str]):
    """name -> label (or another of the entry's words: `words`), a view of a registry."""

    def __init__(self, table: Mapping[str, Choice], words: str = "shown") -> None:
        self.table = table
        self.words = words

    def __getitem__(self, name: str) -> str:
        return getattr(self.table[name], self.words)

    def __iter__(self) -> Iterator[str]:
        return iter(self.table)

    def __len__(self) -> int:
        return len(self.table)


FEATURE_LABELS = Labels(FEATURES)
DATASET_LABELS = Labels(DATASETS)
ACTIVATION_LABELS = Labels(ACTIVATIONS)
PROBLEM_LABELS = Labels(PROBLEMS)
REGULARIZATION_LABELS = Labels(REGULARIZERS)
OPTIMIZER_LABELS = Labels(OPTIMIZERS)
ACTIVATION_DOCS = Labels(ACTIVATIONS, "doc")  # the activation view's explanation of each
