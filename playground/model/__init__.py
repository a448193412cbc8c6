"""The model of a learner's session: the State they edit, the training loop it drives."""
