"""The page in the browser: runs the model and paints the built page, without Panel or Bokeh."""
