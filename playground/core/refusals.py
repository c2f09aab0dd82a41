"""What a refusal is: the exceptions the core raises when it refuses a request (an edit, a
setting, a file), which then has changed nothing. The window catches exactly these, shows
the message and keeps its state; anything else is a bug and is not caught."""

from __future__ import annotations

REFUSALS: tuple[type[Exception], ...] = (ValueError, IndexError, KeyError)
"""Refused edits and settings (a file that cannot be loaded is a ValueError too)."""

FILE_REFUSALS: tuple[type[Exception], ...] = (*REFUSALS, OSError)
"""The same, plus what reading or writing a file may meet (a missing folder, a full disk)."""
