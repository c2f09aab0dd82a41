"""The scalar gate graph: lecture numbers, gate roles, local gradients, stepping backward."""

import math
import subprocess
import sys

import pytest

from playground.backprop.expressions import from_expression
from playground.backprop.graph import Value, topological_order, zero_grad


def leaves(**values):
    return [Value(v, name=k) for k, v in values.items()]


def test_add_then_mul_lecture_numbers():
    x, y, z = Value(-2.0), Value(5.0), Value(-4.0)
    f = (x + y) * z
    f.backward()
    assert f.data == -12
    assert x.grad == -4 and y.grad == -4 and z.grad == 3
    assert f.grad == 1


def test_node_fields_for_drawing():
    x, y, z = leaves(x=-2, y=5, z=-4)
    q = x + y
    f = q * z
    assert (x.op, x.label, x.name, x.inputs, x.local_grads) == ("", "x", "x", (), ())
    assert (q.op, q.label, q.name) == ("+", "+", None)
    assert q.inputs == (x, y) and q.local_grads == (1.0, 1.0)
    assert f.inputs == (q, z) and f.local_grads == (-4.0, 3.0)
    assert "x" in repr(x) and "-2" in repr(x)


def test_add_distributes():
    a, b = leaves(a=1.5, b=-7)
    f = (a + b) * 3.0
    f.backward()
    assert a.grad == b.grad == 3.0


def test_mul_swaps():
    a, b = leaves(a=1.5, b=-7)
    f = (a * b) * 2.0
    f.backward()
    assert a.grad == -7 * 2.0 and b.grad == 1.5 * 2.0


@pytest.mark.parametrize(("a", "b", "a_grad", "b_grad"),
                         [(4.0, 1.0, 5.0, 0.0), (-3.0, 2.0, 0.0, 5.0), (2.0, 2.0, 5.0, 0.0)])
def test_max_routes(a, b, a_grad, b_grad):
    va, vb = Value(a), Value(b)
    f = va.max(vb) * 5.0
    f.backward()
    assert (va.grad, vb.grad) == (a_grad, b_grad)


def test_min_routes_to_the_smaller():
    a, b = Value(4.0), Value(1.0)
    a.min(b).backward()
    assert (a.grad, b.grad) == (0.0, 1.0)


def test_value_used_twice_accumulates():
    x, y = leaves(x=3, y=-2)
    f = x * y + x
    f.backward()
    assert x.grad == y.data + 1 == -1
    assert y.grad == 3
    sq = x * x
    sq.backward()
    assert x.grad == 2 * 3


def test_constants_make_one_input_gates():
    v = Value(2.0, name="v")
    cases = [
        (v + 1, "addc", "+1", 3.0, 1.0), (1 + v, "addc", "+1", 3.0, 1.0),
        (v - 3, "addc", "−3", -1.0, 1.0), (3 - v, "rsubc", "3−x", 1.0, -1.0),
        (v * -1, "mulc", "*−1", -2.0, -1.0), (-v, "neg", "*−1", -2.0, -1.0),
        (2 * v, "mulc", "*2", 4.0, 2.0), (v / 2, "divc", "/2", 1.0, 0.5),
        (1 / v, "inv", "1/x", 0.5, -0.25), (3 / v, "rdivc", "3/x", 1.5, -0.75),
        (v**2, "pow", "**2", 4.0, 4.0), (v.exp(), "exp", "exp", math.exp(2), math.exp(2)),
        (v.sigmoid(), "sigmoid", "σ", None, None), (v.tanh(), "tanh", "tanh", None, None),
        (v.relu(), "relu", "relu", 2.0, 1.0), (v.max(0), "maxc", "max(x,0)", 2.0, 1.0),
        (2**v, "rpowc", "2^x", 4.0, 4 * math.log(2)),
        (v**0.5, "pow", "**0.5", None, None),
    ]
    for out, op, label, data, local in cases:
        assert (out.op, out.label, out.inputs) == (op, label, (v,))
        if data is not None:
            assert out.data == data and out.local_grads == (local,)


def test_value_with_value_gates():
    a, b = Value(6.0), Value(3.0)
    assert [(g.op, g.inputs) for g in (a + b, a - b, a * b, a / b, a.max(b), a.min(b))] == [
        (op, (a, b)) for op in ("+", "-", "*", "/", "max", "min")]
    assert (a / b).local_grads == (1 / 3, -6 / 9)
    assert (a - b).local_grads == (1.0, -1.0)


# Each gate's local gradient against a centred difference of its forward value.
UNARY = {
    "add c": lambda v: v + 1.5, "c add": lambda v: 1.5 + v, "sub c": lambda v: v - 3,
    "c sub": lambda v: 3 - v, "mul c": lambda v: v * -2.5, "c mul": lambda v: 2 * v,
    "div c": lambda v: v / 4, "c div": lambda v: 3 / v, "inv": lambda v: 1 / v,
    "neg": lambda v: -v, "square": lambda v: v**2, "cube": lambda v: v**3,
    "recip pow": lambda v: v**-1, "sqrt": lambda v: v.abs() ** 0.5, "exp": Value.exp,
    "log": lambda v: v.abs().log(), "sigmoid": Value.sigmoid, "tanh": Value.tanh,
    "relu": Value.relu, "abs": Value.abs, "max c": lambda v: v.max(0.3),
    "min c": lambda v: v.min(0.3), "c pow": lambda v: 2**v, "c pow small": lambda v: 0.3**v,
    "c pow e": lambda v: math.e**v, "c pow 1": lambda v: 1**v,
}
BINARY = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "/": lambda a, b: a / b, "max": Value.max, "min": Value.min,
}
POINTS = [-2.3, -0.7, 0.4, 1.9]


def centred(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("x", POINTS)
def test_unary_local_gradient(name, x):
    fn = UNARY[name]
    v = Value(x)
    out = fn(v)
    out.backward()
    numeric = centred(lambda t: fn(Value(t)).data, x)
    assert v.grad == pytest.approx(numeric, rel=1e-6, abs=1e-8)


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize(("a", "b"), [(-2.3, 0.4), (1.9, -0.7), (0.4, 1.9)])
def test_binary_local_gradient(name, a, b):
    fn = BINARY[name]
    va, vb = Value(a), Value(b)
    fn(va, vb).backward()
    assert va.grad == pytest.approx(centred(lambda t: fn(Value(t), Value(b)).data, a), rel=1e-6)
    assert vb.grad == pytest.approx(centred(lambda t: fn(Value(a), Value(t)).data, b), rel=1e-6,
                                    abs=1e-8)


def test_kinks_take_the_documented_side():
    for gate in (Value.relu, Value.abs, lambda v: v.max(0)):
        v = Value(0.0)
        gate(v).backward()
        assert v.grad == 0.0


def test_labels_print_constants_in_the_tabs_one_number_format():
    one = Value(1.0, name="v")
    assert (one**1e9).label == "**1e9"
    assert (one - 1000).label == "−1000"
    assert (one * 2.5e-5).label == "*2.5e−5"


def test_sigmoid_does_not_overflow():
    assert Value(-1000.0).sigmoid().data == 0.0
    assert Value(1000.0).sigmoid().data == 1.0


@pytest.mark.parametrize(("make", "words"), [
    (lambda: Value(-1.0).log(), "log(−1)"),
    (lambda: Value(0.0).log(), "log(0)"),
    (lambda: Value(1000.0).exp(), "exp(1000) overflows"),
    (lambda: Value(1.0) / Value(0.0), "division by zero"),
    (lambda: Value(1.0) / 0, "division by zero"),
    (lambda: 1 / Value(0.0), "division by zero"),
    (lambda: Value(-8.0) ** 0.5, "not a real number"),
    (lambda: Value(0.0) ** -1, "no finite value"),
    (lambda: Value(1e200) ** 2, "overflows"),
])
def test_domain_errors_are_value_errors(make, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        make()


def test_a_constant_base_makes_a_c_to_the_x_gate():
    x = Value(3.0, name="x")
    out = 2**x
    assert (out.op, out.label, out.const, out.inputs, out.data) == ("rpowc", "2^x", 2.0, (x,), 8.0)
    assert out.local_grads == (8 * math.log(2),)
    assert (math.e**x).local_grads[0] == pytest.approx(math.exp(3.0))
    y = Value(-1.5, name="y")
    f = 3 ** (x * y) + x
    f.backward()  # chain rule through the gate: ∂f/∂x = 3^(xy)·ln 3·y + 1
    assert x.grad == pytest.approx(3 ** -4.5 * math.log(3) * -1.5 + 1)
    assert y.grad == pytest.approx(3 ** -4.5 * math.log(3) * 3.0)
    assert y.grad == pytest.approx(centred(lambda t: (3 ** (x.data * t) + x.data), -1.5))


@pytest.mark.parametrize("base", [0, -2, -0.5, 0.0])
def test_a_base_that_is_not_positive_is_refused_saying_why(base):
    with pytest.raises(ValueError, match=r"needs a positive base.*c\^x·ln c"):
        base ** Value(2.0)


def test_a_constant_base_that_overflows_is_a_value_error():
    with pytest.raises(ValueError, match="overflows"):
        10 ** Value(400.0)


def test_only_number_exponents():
    with pytest.raises(TypeError):
        Value(2.0) ** Value(3.0)
    with pytest.raises(TypeError):
        Value(2.0) + "1"


def neuron():
    w0, x0, w1, x1, w2 = leaves(w0=2, x0=-1, w1=-3, x1=-2, w2=-3)
    f = 1 / (1 + (-(w0 * x0 + w1 * x1 + w2)).exp())
    return f, (w0, x0, w1, x1, w2)


def test_backward_twice_gives_the_same_grads():
    f, _ = neuron()
    f.backward()
    first = [n.grad for n in topological_order(f)]
    f.backward()
    assert [n.grad for n in topological_order(f)] == first


def test_zero_grad_clears_every_node():
    f, _ = neuron()
    f.backward()
    zero_grad(f)
    assert all(n.grad == 0.0 for n in topological_order(f))


def test_stepping_backward_equals_backward():
    f, _ = neuron()
    f.backward()
    expected = [n.grad for n in topological_order(f)]
    g, _ = neuron()
    order = topological_order(g)
    zero_grad(g)
    g.grad = 1.0
    for node in reversed(order):
        node.backward_step()
    assert [n.grad for n in order] == expected


def test_topological_order_puts_inputs_first():
    f, _ = neuron()
    order = topological_order(f)
    position = {id(n): i for i, n in enumerate(order)}
    assert len(position) == len(order) == 13
    assert order[-1] is f
    for node in order:
        assert all(position[id(inp)] < position[id(node)] for inp in node.inputs)
    assert [n.label for n in order] == ["w0", "x0", "*", "w1", "x1", "*", "+", "w2", "+",
                                        "*−1", "exp", "+1", "1/x"]
    assert [n.label for n in topological_order(neuron()[0])] == [n.label for n in order]


def test_long_chain_does_not_hit_the_recursion_limit():
    x = Value(1.0)
    f = x
    for _ in range(5 * sys.getrecursionlimit()):
        f = f + x
    f.backward()
    assert x.grad == 5 * sys.getrecursionlimit() + 1


def test_from_expression_is_reexported():
    out, inputs = from_expression("(x + y) * z", {"x": -2, "y": 5, "z": -4})
    out.backward()
    assert [inputs[k].grad for k in "xyz"] == [-4, -4, 3]


def test_graph_never_imports_qt():
    code = ("import sys, playground.backprop.graph, playground.backprop.expressions, "
            "playground.backprop.lecture; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'PyQt5', 'PyQt6', 'pyqtgraph')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, timeout=60)
    assert result.stdout.strip() == "[]"
