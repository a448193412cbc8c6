"""The numpy backprop engine: layers, activations, losses, optimizers, network, trainer."""

from playground.engine.activations import (
    ACTIVATIONS,
    OUTPUT_ACTIVATIONS,
    Activation,
    register_activation,
)
from playground.engine.choices import Choice
from playground.engine.initializers import INITIALIZERS
from playground.engine.layers import Dense
from playground.engine.losses import LOSSES, Loss, default_loss, output_activation
from playground.engine.network import Network
from playground.engine.optimizers import OPTIMIZERS, make_optimizer
from playground.engine.problems import PROBLEMS
from playground.engine.regularization import REGULARIZERS
from playground.engine.trainer import History, Step, Trainer

__all__ = [
    "ACTIVATIONS", "INITIALIZERS", "LOSSES", "OPTIMIZERS", "OUTPUT_ACTIVATIONS", "PROBLEMS",
    "REGULARIZERS", "Activation", "Choice", "Dense", "History", "Loss", "Network", "Step",
    "Trainer", "default_loss", "make_optimizer", "output_activation", "register_activation",
]
