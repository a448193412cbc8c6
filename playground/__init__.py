"""Neural Network Playground: a numpy backprop engine with Panel views."""

__version__ = "0.1.0"
