"""Lessons that open from File ▸ Examples: a title, a paragraph on what to try and what to
watch, and an experiment string (:mod:`playground.io.experiment`) that sets it up.

A lesson is a small JSON file. The bundled ones live in ``playground/assets/examples`` (they
ship in the wheel and the bundle), ordered by file name; a teacher can write more the same
way. Reading one checks every field and the experiment itself, and raises
:class:`LoadError` for anything else.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from playground.files.errors import LoadError
from playground.files.regular import display_name, read_regular
from playground.files.safe_json import check_object, check_text, parse_json
from playground.io.experiment import MAX_CHARS, parse_experiment

FORMAT = "neural-playground-lesson"
VERSION = 1
MAX_BYTES = 256 << 10
MAX_NOTE = 2000
EXAMPLES = Path(__file__).resolve().parent.parent / "assets" / "examples"
"""Where the bundled lessons are."""


@dataclass(frozen=True)
class Lesson:
    title: str
    note: str
    experiment: str


def read_lesson(path: str | os.PathLike) -> Lesson:
    """The lesson in ``path``, checked (its experiment parses)."""
    name = display_name(path)
    text = read_regular(path, MAX_BYTES, "a lesson file").decode("utf-8", "replace")
    data = check_object(parse_json(text, name, max_depth=4), name)
    if data.get("format") != FORMAT:
        raise LoadError(f"{name} is not a Neural Playground lesson")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise LoadError(f"{name} has no valid format version")
    if version > VERSION:
        raise LoadError(f"{name} is a lesson of format {version}; this app reads up to "
                        f"{VERSION} — update Neural Playground to open it")
    lesson = Lesson(check_text(data.get("title"), f"{name}: 'title'", 100),
                    check_text(data.get("note"), f"{name}: 'note'", MAX_NOTE),
                    check_text(data.get("experiment"), f"{name}: 'experiment'", MAX_CHARS))
    try:
        parse_experiment(lesson.experiment)
    except LoadError as exc:
        raise LoadError(f"{name}: {exc}") from None
    return lesson


def bundled_lessons() -> list[tuple[Path, Lesson]]:
    """Every bundled lesson, in order (a file that cannot be read is left out)."""
    found = []
    for path in sorted(EXAMPLES.glob("*.json")):
        try:
            found.append((path, read_lesson(path)))
        except LoadError:
            continue
    return found
