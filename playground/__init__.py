"""Neural Playground: build, train and look inside small fully connected networks."""

__version__ = "0.1.0"
