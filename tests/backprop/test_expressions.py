"""The safe expression parser: what it builds, and what it refuses and where."""

import math

import pytest

from playground.backprop.expressions import (
    MAX_DEPTH,
    ExpressionError,
    from_expression,
    numeric_gradients,
    variable_names,
)
from playground.backprop.graph import topological_order

VALUES = {"x": 3.0, "y": -2.0, "z": 0.5}


def evaluate(text, values=VALUES):
    out, _ = from_expression(text, values)
    return out.data


@pytest.mark.parametrize(("text", "expected"), [
    ("x", 3.0),
    ("x + 1", 4.0),
    ("2.5 * x", 7.5),
    ("1e-3 * x", 0.003),
    ("x + y * z", 2.0),
    ("(x + y) * z", 0.5),
    ("x - y - z", 4.5),
    ("x / y / z", -3.0),
    ("-x", -3.0),
    ("+x", 3.0),
    ("- -x", 3.0),
    ("-x ** 2", -9.0),
    ("x ** 2 ** 0.5", 3.0 ** 2**0.5),
    ("2 * 3 + x", 9.0),
    ("exp(z)", math.exp(0.5)),
    ("log(x)", math.log(3.0)),
    ("sigmoid(y)", 1 / (1 + math.exp(2.0))),
    ("tanh(z)", math.tanh(0.5)),
    ("relu(y) + relu(x)", 3.0),
    ("abs(y)", 2.0),
    ("max(x, y)", 3.0),
    ("min(x, y)", -2.0),
    ("max(0, y)", 0.0),
    ("min(y, 1)", -2.0),
    ("exp(log(x))", 3.0),
    ("  x\t+ y  ", 1.0),
])
def test_good_expressions(text, expected):
    assert evaluate(text) == pytest.approx(expected, rel=1e-15)


def test_inputs_in_order_of_first_appearance_and_unused_names_ignored():
    _, inputs = from_expression("z * x + x", {"x": 3, "y": 99, "z": 2})
    assert list(inputs) == ["z", "x"]
    assert all(v.op == "" and v.name == k and v.label == k for k, v in inputs.items())


def test_a_variable_used_twice_is_one_node():
    out, inputs = from_expression("x * y + x", {"x": 3, "y": -2})
    leaves = [n for n in topological_order(out) if not n.inputs]
    assert len(leaves) == 2
    out.backward()
    assert inputs["x"].grad == -1 and inputs["y"].grad == 3


def test_constants_fold_and_live_in_labels():
    out, _ = from_expression("2 * 3 * x", {"x": 1})
    assert (out.op, out.label) == ("mulc", "*6")
    assert [n.label for n in topological_order(out)] == ["x", "*6"]
    out, _ = from_expression("max(0, x)", {"x": 1})
    assert out.inputs[0].name == "x"


def test_forward_done_backward_fills_inputs():
    out, inputs = from_expression("(x + y) * z", {"x": -2, "y": 5, "z": -4})
    assert out.data == -12
    out.backward()
    assert {k: v.grad for k, v in inputs.items()} == {"x": -4, "y": -4, "z": 3}


def test_numeric_gradients():
    text = "x * y + exp(z) / x"
    grads = numeric_gradients(text, VALUES)
    out, inputs = from_expression(text, VALUES)
    out.backward()
    assert list(grads) == ["x", "y", "z"]
    for name, value in grads.items():
        assert value == pytest.approx(inputs[name].grad, rel=1e-8)


NESTED = "(" * 5000 + "x" + ")" * 5000


@pytest.mark.parametrize(("text", "message", "column", "snippet"), [
    ("os.system('x')", "not allowed: attribute access 'os.system' at column 1", 1,
     "os.system"),
    ("__import__('os')", "unknown function '__import__'", 1, "__import__"),
    ("x[0]", "not allowed: subscript 'x[0]' at column 1", 1, "x[0]"),
    ("lambda: 1", "not allowed: lambda", 1, "lambda: 1"),
    ("'abc'", "not allowed: string", 1, "'abc'"),
    ("x if y else z", "not allowed: conditional expression", 1, "x if y else z"),
    ("x < y", "not allowed: comparison 'x < y'", 1, "x < y"),
    ("x + foo(x)", "unknown function 'foo' (allowed: abs, exp, log, max, min, relu, sigmoid, "
     "tanh) at column 5", 5, "foo"),
    ("exp(x, y)", "exp takes 1 argument, got 2", 1, "exp(x, y)"),
    ("max(x)", "max takes 2 arguments, got 1", 1, "max(x)"),
    ("exp(x=1)", "not allowed: keyword argument", 5, "x=1"),
    ("x and y", "not allowed: boolean operator", 1, "x and y"),
    ("[x]", "not allowed: list", 1, "[x]"),
    ("x.real", "not allowed: attribute access 'x.real'", 1, "x.real"),
    ("(x := 1)", "not allowed: assignment expression", 2, "x := 1"),
    ("True", "not allowed: boolean 'True'", 1, "True"),
    ("x + 1j", "not allowed: complex number '1j' at column 5", 5, "1j"),
    ("b'x'", "not allowed: bytes", 1, "b'x'"),
    ("f'{x}'", "not allowed: f-string", 1, "f'{x}'"),
    ("sigmoid(*x)", "not allowed: starred", 9, "*x"),
    ("x % 2", "not allowed: operator '%'", 1, "x % 2"),
    ("x ** y", "exponent must be a constant number", 6, "y"),
    ("exp + x", "'exp' is a function", 1, "exp"),
    ("x + q", "no value given for variable 'q' at column 5", 5, "q"),
    ("log(y)", "log(−2) is undefined", 1, "log(y)"),
    ("exp(x * 1000)", "exp(3000) overflows", 1, "exp(x * 1000)"),
    ("x / (y + 2)", "division by zero", 1, "x / (y + 2)"),
    ("y ** 0.5", "not a real number", 1, "y ** 0.5"),
    ("x * 1e308 * 10", "not a finite number", 1, "x * 1e308"),
    ("2 ** 5000 * x", "overflows", 1, "2 ** 5000"),
    ("x + * 2", "syntax error", 5, "* 2"),
    ("x +", "syntax error", 4, ""),
    ("(x + y", "syntax error: '(' was never closed at column 1", 1, "(x + y"),
    ("-" * (MAX_DEPTH + 5) + "x", "nested too deeply", None, None),
    ("(" * 240 + "x" + ")" * 240, "nested", None, None),
])
def test_refused_with_a_pointer_to_the_offending_part(text, message, column, snippet):
    with pytest.raises(ExpressionError) as info:
        from_expression(text, {"x": 3, "y": -2, "z": 1})
    assert message in str(info.value)
    if column is not None:
        assert info.value.column == column
        assert info.value.snippet == snippet
        if snippet:
            assert text[column - 1:].startswith(snippet)


@pytest.mark.parametrize(("text", "message"), [
    ("x" * 10_000, "too long"),
    (NESTED, "too long"),
    ("2 * 3", "no variables"),
    ("", "empty"),
    ("   ", "empty"),
])
def test_refused_as_a_whole(text, message):
    with pytest.raises(ExpressionError, match=message):
        from_expression(text, {"x": 1})


def test_lecture_refusals_with_their_own_values():
    with pytest.raises(ExpressionError, match=r"log\(−1\) is undefined"):
        from_expression("log(x)", {"x": -1})
    with pytest.raises(ExpressionError, match=r"exp\(1000\) overflows"):
        from_expression("exp(x)", {"x": 1000})


def test_bad_values_are_refused():
    for bad in ("3", None, math.nan, math.inf):
        with pytest.raises(ExpressionError, match="finite number"):
            from_expression("x + 1", {"x": bad})


def test_columns_count_characters_and_the_text_as_typed():
    with pytest.raises(ExpressionError) as info:
        from_expression("  σ + foo(x)", {"σ": 1, "x": 2})
    assert info.value.column == 7 and info.value.snippet == "foo"
    with pytest.raises(ExpressionError, match="line 2, column 3"):
        from_expression("(x +\n  foo(x))", {"x": 1})


def test_expression_error_is_a_value_error():
    assert issubclass(ExpressionError, ValueError)


def test_a_constant_base_with_a_variable_exponent_is_a_gate():
    out, inputs = from_expression("2 ** x", {"x": 3.0})
    assert out.data == 8 and out.op == "rpowc"
    out.backward()
    assert inputs["x"].grad == pytest.approx(numeric_gradients("2 ** x", {"x": 3.0})["x"])


def test_variable_names_in_order_without_functions():
    assert variable_names("max(b, a) + tanh(c) * b") == ["b", "a", "c"]
    assert variable_names("1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))") == ["w0", "x0", "w1", "x1",
                                                                        "w2"]
    with pytest.raises(ExpressionError, match="syntax error"):
        variable_names("x +")
    with pytest.raises(ExpressionError, match="too long"):
        variable_names("x" * 600)


@pytest.mark.parametrize("text", ["x·y + z", "x × y + z", "x*y + z", "x · y − −z"])
def test_the_apps_own_multiply_signs_multiply(text):
    out, inputs = from_expression(text, VALUES)
    assert out.data == pytest.approx(3.0 * -2.0 + 0.5)
    assert list(inputs) == ["x", "y", "z"]
    assert variable_names(text) == ["x", "y", "z"]


def test_a_staged_formula_names_its_stages_and_needs_only_its_inputs():
    text = "q = x + y; f = q * z"
    assert variable_names(text) == ["x", "y", "z"]
    out, inputs = from_expression(text, {"x": -2, "y": 5, "z": -4, "q": 99})
    assert (out.data, out.name, out.inputs[0].name) == (-12, "f", "q")
    assert list(inputs) == ["x", "y", "z"]
    out, _ = from_expression("a = x * 2\nb = a + 1\na * b", {"x": 1.0})
    assert out.data == 6 and out.name is None


@pytest.mark.parametrize(("text", "message", "column"), [
    ("f * 2", "'f' is the output's name (∂f/∂f = 1), so it cannot be a variable", 1),
    ("x + sigmoid(f)", "'f' is the output's name", 13),
    ("q = x + 1; q = q * 2", "'q' is assigned twice", 12),
    ("x = x + 1; x * 2", "'x' is already an input of the formula", 1),
    ("exp = x + 1; exp * 2", "'exp' is a function", 1),
    ("x + 1; x * 2", "only the last statement may be a bare formula", 1),
    ("a, b = x, 1", "assign one name at a time", 1),
    ("import os", "not allowed: import", 1),
    ("x += 1", "not allowed: '+=' and the like", 1),
])
def test_staging_mistakes_are_refused_where_they_are(text, message, column):
    with pytest.raises(ExpressionError) as info:
        from_expression(text, {"x": 3, "f": 1, "q": 2})
    assert message in str(info.value)
    assert info.value.column == column


def test_answers_can_be_typed_as_numbers_or_products():
    from playground.backprop.expressions import evaluate_number

    assert evaluate_number("0.0452 * -0.792") == pytest.approx(-0.0357984)
    assert evaluate_number("2·3 − 1") == 5
    with pytest.raises(ExpressionError, match="no value given for variable 'x'"):
        evaluate_number("x")
