"""The words the page shows for the settings' values."""

from __future__ import annotations

FEATURE_LABELS = {"x1": "X₁", "x2": "X₂", "x1sq": "X₁²", "x2sq": "X₂²", "x1x2": "X₁X₂",
                  "sin_x1": "sin(X₁)", "sin_x2": "sin(X₂)", "cos_x1": "cos(X₁)",
                  "cos_x2": "cos(X₂)"}
DATASET_LABELS = {"circle": "Circle", "xor": "Exclusive or", "gauss": "Gaussian",
                  "spiral": "Spiral", "moons": "Moons", "checkerboard": "Checkerboard",
                  "spiral3": "Spiral, 3 classes", "digits": "Digits (8x8 images)",
                  "plane": "Plane", "multigauss": "Multi-Gaussian"}
ACTIVATION_LABELS = {"tanh": "Tanh", "relu": "ReLU", "sigmoid": "Sigmoid", "linear": "Linear",
                     "leaky_relu": "Leaky ReLU", "elu": "ELU", "softplus": "Softplus",
                     "gelu": "GELU"}
PROBLEM_LABELS = {"classification": "Classification", "regression": "Regression"}
REGULARIZATION_LABELS = {"none": "None", "l1": "L1", "l2": "L2"}
OPTIMIZER_LABELS = {"sgd": "SGD", "momentum": "Momentum", "adam": "Adam"}
