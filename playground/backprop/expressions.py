"""A safe parser that turns a formula typed by a student into a gate graph.

The text is parsed with Python's ``ast`` module and walked by hand: only numbers, variable
names, ``+ - * / **`` (and ``·``, ``×`` for multiply), unary minus/plus, parentheses and calls to
the gate functions below are accepted. Nothing is ever evaluated by Python itself (no ``eval``,
``exec`` or ``compile`` to code), so ``__import__('os')`` is just an unknown function name.

A formula may be staged as the lecture stages its code, one named value per statement:
``q = x + y; f = q * z``. Each name then labels its gate (the explainer's code and rules use
it), and the last statement is the output.
"""

from __future__ import annotations

import ast
import math
import warnings
from collections.abc import Mapping
from numbers import Real

from playground.backprop.graph import Value
from playground.core.gradcheck import partial_derivatives

MAX_LENGTH = 500
MAX_DEPTH = 100
FUNCTIONS = {"abs": 1, "exp": 1, "log": 1, "max": 2, "min": 2, "relu": 1, "sigmoid": 1,
             "tanh": 1}
_ALLOWED = ", ".join(FUNCTIONS)
_UNARY_GATES = {"abs": Value.abs, "exp": Value.exp, "log": Value.log, "relu": Value.relu,
                "sigmoid": Value.sigmoid, "tanh": Value.tanh}
_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_OTHER_OPS = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<",
              ast.RShift: ">>", ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&",
              ast.Not: "not", ast.Invert: "~"}
_STATEMENTS = {ast.Import: "import", ast.ImportFrom: "import", ast.AugAssign: "'+=' and the like",
               ast.AnnAssign: "annotated assignment", ast.FunctionDef: "def", ast.For: "for",
               ast.While: "while", ast.If: "if", ast.With: "with", ast.Delete: "del",
               ast.Return: "return", ast.ClassDef: "class", ast.Try: "try",
               ast.Global: "global", ast.Nonlocal: "nonlocal", ast.Raise: "raise",
               ast.Assert: "assert", ast.Pass: "pass"}
_SYMBOLS = str.maketrans({"·": "*", "×": "*", "−": "-"})  # one character each: columns hold
OUTPUT = "f"
"""The output's name: no variable may take it."""
_WHAT = {ast.Attribute: "attribute access", ast.Subscript: "subscript", ast.Lambda: "lambda",
         ast.IfExp: "conditional expression", ast.Compare: "comparison",
         ast.BoolOp: "boolean operator", ast.List: "list", ast.Tuple: "tuple", ast.Dict: "dict",
         ast.Set: "set", ast.ListComp: "comprehension", ast.SetComp: "comprehension",
         ast.DictComp: "comprehension", ast.GeneratorExp: "generator expression",
         ast.JoinedStr: "f-string", ast.FormattedValue: "f-string", ast.Starred: "starred",
         ast.NamedExpr: "assignment expression ':='", ast.Await: "await", ast.Yield: "yield",
         ast.YieldFrom: "yield", ast.Slice: "slice"}

Number = Value | float


class ExpressionError(ValueError):
    """A formula that cannot be turned into a graph.

    ``column`` is 1-based (as in the message) and ``snippet`` is the offending text; both are
    ``None`` when the problem is the whole expression.
    """

    def __init__(self, message: str, column: int | None = None, snippet: str | None = None):
        super().__init__(message)
        self.column = column
        self.snippet = snippet


class _Builder:
    """Walks the syntax tree, creating one leaf ``Value`` per variable name."""

    def __init__(self, text: str, values: Mapping[str, float]) -> None:
        self.text = text.strip().translate(_SYMBOLS)  # ast refuses leading blanks
        lead = text[: len(text) - len(text.lstrip())]
        self.shift_lines = lead.count("\n")  # to report positions in the text as typed
        self.shift_cols = len(lead) - lead.rfind("\n") - 1
        self.values = values
        self.inputs: dict[str, Value] = {}
        self.stages: dict[str, Number] = {}

    def where(self, line: int, column: int) -> tuple[str, int]:
        """'column 3' (or 'line 2, column 3') in the original text, from 1-based positions."""
        if line == 1:
            column += self.shift_cols
        line += self.shift_lines
        multiline = "\n" in self.text or self.shift_lines
        return (f"line {line}, column {column}" if multiline else f"column {column}"), column

    def error(self, node: ast.AST, message: str, quote: bool = True) -> ExpressionError:
        """An error that names ``node``'s column and, if ``quote``, quotes its text."""
        snippet = ast.get_source_segment(self.text, node) or ""
        line = self.text.splitlines()[node.lineno - 1]
        chars = len(line.encode()[: node.col_offset].decode(errors="ignore"))
        where, column = self.where(node.lineno, chars + 1)
        short = snippet if len(snippet) <= 40 else snippet[:37] + "..."
        mark = '"' if "'" in short else "'"
        text = f"{message} {mark}{short}{mark} at {where}" if quote else f"{message} at {where}"
        return ExpressionError(text, column, snippet)

    def build(self, node: ast.AST, depth: int = 0) -> Number:
        if depth > MAX_DEPTH:
            raise self.error(node, f"expression is nested too deeply (more than {MAX_DEPTH}):")
        try:
            result = self._build(node, depth + 1)
        except ValueError as exc:             # a domain error raised by a gate
            if isinstance(exc, ExpressionError):
                raise
            raise self.error(node, f"{exc}, in") from None
        data = result.data if isinstance(result, Value) else result
        if not math.isfinite(data):
            raise self.error(node, "result is not a finite number (overflow) in")
        return result

    def _build(self, node: ast.AST, depth: int) -> Number:
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.variable(node)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return self.binary(node, self.build(node.left, depth), self.build(node.right, depth))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.build(node.operand, depth)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        if isinstance(node, (ast.BinOp, ast.UnaryOp)):
            raise self.error(node, f"not allowed: operator '{_OTHER_OPS.get(type(node.op))}' in")
        raise self.error(node, f"not allowed: {_WHAT.get(type(node), 'this construct')}")

    def constant(self, node: ast.Constant) -> float:
        value = node.value
        if type(value) not in (int, float):   # bool is an int subclass: refuse True/False too
            kinds = {bool: "boolean", str: "string", bytes: "bytes", complex: "complex number"}
            raise self.error(node, f"not allowed: {kinds.get(type(value), 'constant')}")
        try:
            return float(value)
        except OverflowError:
            raise self.error(node, "number too large:") from None

    def program(self, tree: ast.Module) -> Number:
        """Every statement in order; the last one's value is the output."""
        result: Number = 0.0
        for k, statement in enumerate(tree.body):
            if isinstance(statement, ast.Assign):
                result = self.assign(statement)
            elif isinstance(statement, ast.Expr) and k == len(tree.body) - 1:
                result = self.build(statement.value)
            elif isinstance(statement, ast.Expr):
                raise self.error(statement, "only the last statement may be a bare formula; "
                                            "name this stage, as in q = x + y:")
            else:
                kind = _STATEMENTS.get(type(statement), "this statement")
                raise self.error(statement, f"not allowed: {kind}")
        return result

    def assign(self, statement: ast.Assign) -> Number:
        """``name = formula``: a named stage, as the lecture's ``num = x + sigy``."""
        target = statement.targets[0]
        if len(statement.targets) > 1 or not isinstance(target, ast.Name):
            raise self.error(target, "assign one name at a time, as in q = x + y, not")
        value = self.build(statement.value)
        name = target.id
        if name in FUNCTIONS:
            raise self.error(target, f"'{name}' is a function; give the stage another name,",
                             False)
        if name in self.inputs:
            raise self.error(target, f"'{name}' is already an input of the formula; give the "
                                     "stage its own name,", False)
        if name in self.stages:
            raise self.error(target, f"'{name}' is assigned twice; give each stage its own "
                                     "name,", False)
        self.stages[name] = value
        if isinstance(value, Value) and value.op and value.name is None:
            value.name = name
        return value

    def variable(self, node: ast.Name) -> Number:
        name = node.id
        if name in self.stages:
            return self.stages[name]
        if name in self.inputs:               # the same node each time: gradients add up
            return self.inputs[name]
        if name in FUNCTIONS:
            raise self.error(node, f"'{name}' is a function; call it like {name}(x),", False)
        if name == OUTPUT:
            raise self.error(node, f"'{OUTPUT}' is the output's name (∂f/∂f = 1), so it "
                                   "cannot be a variable; call it something else,", False)
        if name not in self.values:
            raise self.error(node, f"no value given for variable '{name}'", False)
        value = self.values[name]
        if not isinstance(value, Real) or not math.isfinite(value):
            raise self.error(node, f"the value of '{name}' must be a finite number, "
                                   f"not {value!r},", False)
        leaf = self.inputs[name] = Value(float(value), name=name)
        return leaf

    def binary(self, node: ast.BinOp, a: Number, b: Number) -> Number:
        op = _BINARY[type(node.op)]
        if op == "**" and isinstance(a, Value) and isinstance(b, Value):
            raise self.error(node.right, "the exponent must be a constant number (or the base, "
                                         "as in 2 ** x), not")
        if not isinstance(a, Value) and not isinstance(b, Value):
            return self.binary(node, Value(a), b).data      # fold constants with the same rules
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            return a / b
        return a**b

    def call(self, node: ast.Call, depth: int) -> Number:
        if not isinstance(node.func, ast.Name):
            self.build(node.func, depth)      # raises: attribute access, subscript, ...
            raise self.error(node.func, "not allowed: calling")
        name = node.func.id
        if name not in FUNCTIONS:
            raise self.error(node.func, f"unknown function '{name}' (allowed: {_ALLOWED})",
                             False)
        if node.keywords:
            raise self.error(node.keywords[0], f"not allowed: keyword argument in {name}(),")
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.error(arg, "not allowed: starred argument")
        if len(node.args) != FUNCTIONS[name]:
            count = FUNCTIONS[name]
            raise self.error(node, f"{name} takes {count} argument{'s' * (count > 1)}, "
                                   f"got {len(node.args)}:")
        args = [self.build(arg, depth) for arg in node.args]
        if name in ("max", "min"):
            a, b = args
            if not isinstance(a, Value):      # max(0, x): constants go into the label
                a, b = b, a
            a = a if isinstance(a, Value) else Value(a)
            result = a.max(b) if name == "max" else a.min(b)
        else:
            a = args[0] if isinstance(args[0], Value) else Value(args[0])
            result = _UNARY_GATES[name](a)
        return result if any(isinstance(x, Value) for x in args) else result.data


def _parse(builder: _Builder) -> ast.Module:
    """The syntax tree of the (stripped) text, or an ExpressionError saying where it fails."""
    text = builder.text
    if not text:
        raise ExpressionError("the expression is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # e.g. SyntaxWarning for odd literals
            tree = ast.parse(text)
        if not tree.body:
            raise ExpressionError("the expression is empty")
        return tree
    except SyntaxError as exc:
        lines = text.splitlines()
        if not exc.lineno or exc.lineno > len(lines):
            raise ExpressionError(f"syntax error: {exc.msg}") from None
        line = lines[exc.lineno - 1]
        offset = exc.offset or len(line) + 1      # 0 means "at the end", as in 'x +'
        snippet = line[offset - 1 :]
        where, column = builder.where(exc.lineno, offset)
        raise ExpressionError(f"syntax error: {exc.msg} at {where}", column, snippet) from None
    except (RecursionError, MemoryError):
        raise ExpressionError("the expression is nested too deeply") from None


def _check_text(text: object) -> None:
    if not isinstance(text, str):
        raise ExpressionError(f"the expression must be text, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is too long ({len(text)} characters, "
                              f"at most {MAX_LENGTH})")


def from_expression(text: str, values: Mapping[str, float]) -> tuple[Value, dict[str, Value]]:
    """Build the gate graph of ``text`` and run the forward pass.

    Parameters
    ----------
    text : str
        A formula such as ``"1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))"``.
    values : mapping of str to float
        A number for each variable; names the formula does not use are ignored.

    Returns
    -------
    output : Value
        The root of the graph, its ``data`` already computed.
    inputs : dict of str to Value
        One leaf per variable, in order of first appearance.
    """
    _check_text(text)
    builder = _Builder(text, values)
    output = builder.program(_parse(builder))
    if not isinstance(output, Value):
        raise ExpressionError("the expression has no variables: nothing to differentiate")
    return output, builder.inputs


def variable_names(text: str) -> list[str]:
    """The inputs a formula needs, in order of first appearance: names read before any
    statement assigns them (function names and stage names excluded).

    Raises ExpressionError where ``from_expression`` would for bad syntax or length, so a
    form can ask for the values it needs before building anything.
    """
    _check_text(text)
    builder = _Builder(text, {})
    names: list[str] = []
    stages: set[str] = set()
    for statement in _parse(builder).body:
        value = getattr(statement, "value", statement)
        calls = {id(node.func) for node in ast.walk(value) if isinstance(node, ast.Call)}
        read = sorted((node for node in ast.walk(value) if isinstance(node, ast.Name)
                       and id(node) not in calls and node.id not in FUNCTIONS),
                      key=lambda node: (node.lineno, node.col_offset))
        names += [node.id for node in read if node.id not in stages]
        if isinstance(statement, ast.Assign):
            stages.update(t.id for t in statement.targets if isinstance(t, ast.Name))
    return list(dict.fromkeys(names))


def numeric_gradients(text: str, values: Mapping[str, float],
                      h: float = 1e-5) -> dict[str, float]:
    """Centred differences (f(v + h) − f(v − h)) / 2h for each variable the formula uses."""
    _, inputs = from_expression(text, values)
    used = {name: float(values[name]) for name in inputs}
    return partial_derivatives(lambda v: from_expression(text, {**values, **v})[0].data, used, h)


def evaluate_number(text: str) -> float:
    """A number a student typed as an answer: "−0.036", "1,5", or arithmetic such as
    "0.0452 * -0.792" (the same safe parser; variables are refused)."""
    _check_text(text)
    builder = _Builder(text, {})
    value = builder.program(_parse(builder))
    if isinstance(value, Value):   # cannot happen without values, but keep the type honest
        raise ExpressionError("type a number, not a formula with variables")
    return float(value)
