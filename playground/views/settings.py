"""The settings panel: data, features, training hyper-parameters, each a labelled control bound
to its State parameter (`from_param`); their options and visibility are painted
(playground.painter.settings)."""

from __future__ import annotations

import panel as pn

from playground.model.playground import PlaygroundModel
from playground.painter import settings as painted
from playground.views.host import Registry

# Every select at least 44 px tall: a finger, not a mouse pointer.
WIDGET = {"sizing_mode": "stretch_width", "margin": (2, 8),
          "stylesheets": ["select.bk-input { min-height: 44px; }"]}
# The nine features as labelled checkboxes (their state is read out, unlike toggle buttons'),
# wrapping onto several rows in a narrow panel; each label is a 44 px tall target.
FEATURE_BOXES = (".bk-input-group { display: flex; flex-flow: row wrap; column-gap: 12px; }"
                 " label { display: inline-flex; align-items: center; gap: 5px;"
                 " min-height: 44px; min-width: 44px; cursor: pointer; }"
                 " input[type=checkbox] { width: 18px; height: 18px; margin: 0; }")
# The features' visible caption, as the selects have theirs.
CAPTION = ":host { font-size: 12px; margin-bottom: 0; }"
# Selects rather than sliders: labelled for screen readers, easy to hit on a tablet.
SELECTS = {"problem": "Problem type", "dataset": "Dataset", "reg_dataset": "Dataset",
           "noise": "Noise", "train_percent": "Ratio of training to test data",
           "learning_rate": "Learning rate", "activation": "Activation",
           "regularization": "Regularization", "reg_rate": "Regularization rate",
           "batch_size": "Batch size", "optimizer": "Optimizer"}
ORDER = ("problem", "dataset", "reg_dataset", "noise", "train_percent", "features",
         "learning_rate", "activation", "regularization", "reg_rate", "batch_size",
         "optimizer")


class SettingsPanel(pn.viewable.Viewer):
    """Every control of the State, labelled."""

    def __init__(self, model: PlaygroundModel, registry: Registry, **params) -> None:
        super().__init__(**params)
        state = model.state
        menus = painted.options(state)
        self.controls: dict[str, pn.viewable.Viewable] = {}
        for field in ORDER:
            target = painted.target(field)
            if field == "features":
                caption = registry.add(painted.FEATURES_CAPTION, pn.pane.HTML(
                    "Features (the network's inputs)", margin=(4, 8, 0, 8),
                    stylesheets=[CAPTION]))
                boxes = registry.field(target, pn.widgets.CheckBoxGroup, state.param.features,
                                       name="Features", inline=True,
                                       options=dict(menus["features"]),
                                       sizing_mode="stretch_width", margin=(0, 8, 2, 8),
                                       stylesheets=[FEATURE_BOXES])
                self.controls[field] = pn.Column(caption, boxes, margin=0,
                                                 sizing_mode="stretch_width")
            else:
                self.controls[field] = registry.field(
                    target, pn.widgets.Select, state.param[field], name=SELECTS[field],
                    options=dict(menus[field]), **WIDGET)
        self.controls["regenerate"] = registry.event(painted.REGENERATE,
                                                     model.param.regenerate,
                                                     name="Regenerate", height=44, **WIDGET)

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(*self.controls.values(), sizing_mode="stretch_width")
