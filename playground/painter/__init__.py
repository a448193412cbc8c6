"""What every view shows, computed with numpy alone (no Panel, no Bokeh)."""
