"""The one exception every loader raises: weights, CSV, project files, experiment strings.

A :class:`LoadError` is a ``ValueError`` whose message names the file and says, in plain words,
what is wrong with it ("net.npz: 'W2' has shape (5, 5) but the spec needs (8, 3)"). Callers
catch this one type, show the message and keep their current state: a loader that raises has
built nothing and changed nothing.
"""

from __future__ import annotations


class LoadError(ValueError):
    """A file (or string) that cannot be loaded; the message names it and says why."""
