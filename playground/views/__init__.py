"""Panel and Bokeh views of the playground's state and its training loop."""
