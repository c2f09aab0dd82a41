"""Copy steps as Markdown: the whole walkthrough, and the walkthrough left where it was."""

from playground.backprop.expressions import numeric_gradients
from playground.backprop.lecture import build, by_key
from playground.backprop.notes import steps_markdown
from playground.backprop.walkthrough import Walkthrough


def test_markdown_has_the_code_every_step_and_the_check():
    preset = by_key("staged")
    walk = Walkthrough(build(preset)[0])
    walk.goto(3)
    text = steps_markdown(walk, "Staged computation", numeric_gradients(preset.expression,
                                                                        preset.values))
    assert text.startswith("## Staged computation\n\nAt x = 3, y = −4.\n\n```python\n")
    assert "dy += ((1 - sigy) * sigy) * dsigy\n```" in text
    assert "1. *forward ▶* σ gate: σ(−4) = 0.018" in text
    assert f"{walk.total_steps}. *◀ backward*" in text
    assert "| x | 3 | 2.06 | 2.06 |" in text
    assert len(walk.history) == 3 and walk.output.grad == 0
