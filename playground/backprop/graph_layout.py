"""Where to draw each node of a gate graph: inputs on the left, the output on the right.

A node's column is its depth (inputs 0, a gate one right of its deepest input). Rows come from
drawing the graph as the tree it is from the output: a depth-first walk hands each *use* of an
input the next row, a gate sits at the mean row of its inputs, so an expression without shared
values has no crossing wires. An input used several times sits at the mean of its uses. Nodes
sharing a column are then pushed apart to at least one row. Pure arithmetic, so the Qt view
only scales it to pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from playground.backprop.graph import Value, topological_order


@dataclass(frozen=True)
class GraphLayout:
    """``nodes`` in topological order with their ``columns`` and ``rows``; ``wires`` as
    (source index, target index, input slot of the target)."""

    nodes: tuple[Value, ...]
    columns: tuple[int, ...]
    rows: tuple[float, ...]
    wires: tuple[tuple[int, int, int], ...]

    @property
    def column_count(self) -> int:
        return max(self.columns) + 1

    def index(self, node: Value) -> int:
        return next(k for k, n in enumerate(self.nodes) if n is node)


def layout_graph(output: Value) -> GraphLayout:
    """Columns, rows and wires for ``output``'s graph."""
    nodes = topological_order(output)
    index = {id(n): k for k, n in enumerate(nodes)}
    columns = [0] * len(nodes)
    for k, node in enumerate(nodes):
        if node.op:
            columns[k] = 1 + max(columns[index[id(i)]] for i in node.inputs)
    rows = _tree_rows(output, nodes, index)
    for column in set(columns):
        members = sorted((k for k, c in enumerate(columns) if c == column), key=lambda k: rows[k])
        for before, after in pairwise(members):
            rows[after] = max(rows[after], rows[before] + 1.0)
    lowest = min(rows)
    wires = tuple((index[id(inp)], k, slot) for k, node in enumerate(nodes)
                  for slot, inp in enumerate(node.inputs))
    return GraphLayout(tuple(nodes), tuple(columns), tuple(r - lowest for r in rows), wires)


def _tree_rows(output: Value, nodes: list[Value], index: dict[int, int]) -> list[float]:
    """Rows before de-overlapping: each use of an input gets the next row in depth-first
    order from the output, a gate the mean of its inputs', an input the mean of its uses."""
    rows = [0.0] * len(nodes)
    uses: dict[int, list[float]] = {}
    done: set[int] = set()
    next_row = 0.0
    # Post-order walk with an explicit stack: (node, inputs already visited?).
    stack: list[tuple[Value, bool]] = [(output, False)]
    seen_rows: list[float] = []  # row of each finished visit, in order (a stack of results)
    while stack:
        node, expanded = stack.pop()
        k = index[id(node)]
        if not node.op:
            uses.setdefault(k, []).append(next_row)
            seen_rows.append(next_row)
            next_row += 1.0
        elif k in done:
            seen_rows.append(rows[k])
        elif not expanded:
            stack.append((node, True))
            stack.extend((inp, False) for inp in reversed(node.inputs))
        else:
            inputs = [seen_rows.pop() for _ in node.inputs]
            rows[k] = sum(inputs) / len(inputs)
            done.add(k)
            seen_rows.append(rows[k])
    for k, used in uses.items():
        rows[k] = sum(used) / len(used)
    return rows
