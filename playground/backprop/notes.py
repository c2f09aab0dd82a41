"""A walkthrough as Markdown, for a teacher's notes: the example, the lecture's code, every
step of both passes with its rule and numbers, and the gradients beside the numeric check."""

from __future__ import annotations

import math
from collections.abc import Mapping

from playground.backprop.code_lines import code_lines
from playground.backprop.number_format import fmt
from playground.backprop.walkthrough import FORWARD, Walkthrough


def steps_markdown(walk: Walkthrough, title: str, numeric: Mapping[str, float]) -> str:
    """Every step of both passes (the walkthrough is replayed, then put back where it was).

    Parameters
    ----------
    walk : Walkthrough
        The graph; its state is restored before returning.
    title : str
        A heading: the example's name, the formula, or the neuron.
    numeric : mapping of str to float
        Centred-difference gradients of the inputs, for the last table.
    """
    taken = len(walk.history)
    walk.goto(walk.total_steps)
    values = ", ".join(f"{leaf.name} = {fmt(leaf.data)}" for leaf in walk.leaves)
    out = walk.output_name
    lines = [f"## {title}", "", f"At {values}.", "", "```python",
             *(line.text for line in code_lines(walk)), "```", "", "### Steps", ""]
    for number, step in enumerate(walk.history, start=1):
        arrow = "forward ▶" if step.phase == FORWARD else "◀ backward"
        lines.append(f"{number}. *{arrow}* {step.text}")
    lines += ["", "### Gradients", "", f"| input | value | ∂{out}/∂input | numeric |",
              "|---|---:|---:|---:|"]
    for leaf in walk.leaves:
        check = numeric.get(leaf.name, math.nan)
        lines.append(f"| {leaf.name} | {fmt(leaf.data)} | {fmt(leaf.grad)} | "
                     f"{fmt(check) if math.isfinite(check) else 'n/a'} |")
    walk.goto(taken)
    return "\n".join(lines) + "\n"
