"""The side panels of the Network tab: data, hyperparameters, layer cards, inspector, output."""
