"""The lecture's backprop made visible: scalar gate graphs, formulas, walkthroughs, a neuron and
a dense layer taken apart. Pure NumPy; imports the core, never imported by it."""
