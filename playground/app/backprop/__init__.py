"""The Backprop tab: the explainer, the gate graph, the numeric check, the vector view."""
