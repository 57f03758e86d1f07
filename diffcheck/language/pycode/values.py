"""Expressions of ML code -> values: numbers (exact SymPy), conditions, options, metadata.

:class:`ValueReader` is the expression parser (:mod:`diffcheck.language.parsing`) on the
nodes of a file, with what real code writes besides formulas: options (``reduction ==
"mean"``, ``x is None``) decided when the code is read, tensor methods, array plumbing,
reductions read per element, comparisons used as 0/1 masks, ``self.`` attributes,
``nn`` layers and calls of the file's own functions (inlined by :mod:`.statements`).
"""

from __future__ import annotations

import ast
import inspect
import itertools
import operator
from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

import sympy
from sympy import S
from sympy.logic.boolalg import Boolean

from diffcheck.errors import InputError
from diffcheck.language import library as catalog
from diffcheck.language import parsing
from diffcheck.language.pycode import tables
from diffcheck.language.pycode.base import (
    UNKNOWABLE,
    Broken,
    Function,
    FunctionError,
    Instance,
    Layer,
    Meta,
    Static,
    Unknowable,
    Value,
)

_PIECE = 60
_STATIC_OPS: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Is: operator.is_,
    ast.IsNot: operator.is_not, ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge,
}
_RELATIONS: dict[type[ast.cmpop], Callable[..., Any]] = {
    ast.Lt: sympy.Lt, ast.LtE: sympy.Le, ast.Gt: sympy.Gt, ast.GtE: sympy.Ge,
    ast.Eq: sympy.Eq, ast.NotEq: sympy.Ne,
}
#: Keywords that choose how, not what: ignored where the function has no such parameter.
_QUIET_KEYWORDS = frozenset(("inplace", "name", "out", "dtype", "device"))
_REDUCTION_KEYWORDS = frozenset(("reduction", "size_average", "reduce"))
Condition: TypeAlias = "Static | Boolean | Unknowable"
_BUILTIN_TYPES: dict[str, type] = {"int": int, "float": float, "str": str, "bool": bool,
                                   "tuple": tuple, "list": list, "dict": dict}
_PREFIX_ROOTS = frozenset(p.split(".")[0] for p in catalog.SPACES) | tables.ROOTS


class ValueReader(parsing._Parser):
    """One file's expressions; :class:`~.statements.Reader` adds statements and inlining."""

    def __init__(self, source: str, path: str, aliases: Mapping[str, ast.expr]) -> None:
        # parsing._Parser.__init__ prepares one line of text; here the nodes come from a file
        self.text = source
        self.source, self.path, self.aliases = source, path, aliases
        self.built = []
        self.env: dict[str, Value] = {}
        self.globals: dict[str, Value] = {}
        self.defined: set[str] = set()  # names the module binds other than by import
        self.functions: dict[str, ast.FunctionDef] = {}  # the module's functions
        self.closures: dict[str, dict[str, Value]] = {}  # nested functions' outer names
        self.classes: dict[str, ast.ClassDef] = {}
        self.notes: list[str] = []

    # --- messages ---------------------------------------------------------------------------

    def fail(self, node: ast.AST, reason: str) -> FunctionError:
        line = getattr(node, "lineno", None)
        column = getattr(node, "col_offset", None)
        return FunctionError(self.path, line, None if column is None else column + 1,
                             self.piece(node), reason)

    def piece(self, node: ast.AST) -> str:
        text = " ".join((ast.get_source_segment(self.source, node) or "").split())
        return text if len(text) <= _PIECE else text[:_PIECE - 3] + "..."

    def note(self, node: ast.AST | None, text: str) -> None:
        line = getattr(node, "lineno", None)
        full = f"line {line}: {text}" if line is not None else text
        if full not in self.notes:
            self.notes.append(full)

    # --- hooks the statements provide ---------------------------------------------------------

    def call_function(self, function: Function, node: ast.Call, args: list[Value],
                      kwargs: dict[str, Value], instance: Instance | None) -> Value:
        raise NotImplementedError  # pragma: no cover - see statements.Reader

    # --- values -------------------------------------------------------------------------------

    def _expr(self, node: ast.expr) -> sympy.Expr:
        return self.number(node, self.value(node))

    def number(self, node: ast.AST, value: Value) -> sympy.Expr:
        """``value`` as a number: a condition is a 0/1 mask (a Heaviside-style factor)."""
        if isinstance(value, sympy.Expr):
            return value
        if isinstance(value, Boolean):
            if value is S.true or value is S.false:
                return S.One if value is S.true else S.Zero
            return sympy.Piecewise((S.One, value), (S.Zero, True))
        if isinstance(value, Broken):
            raise value.error
        if isinstance(value, Static):
            if isinstance(value.value, bool):
                return S.One if value.value else S.Zero
            where = f" ({value.origin})" if value.origin else ""
            if value.value is None:
                name = value.origin.rpartition(" ")[2] or "it"
                raise self.fail(node, f"{self.piece(node)!r} is None{where} where a number is "
                                      f"needed; give it a value with --option {name}=VALUE")
            raise self.fail(node, f"{self.piece(node)!r} is {value.value!r}{where}, not a "
                                  "number; it can decide an if, or be an option of a library "
                                  "function")
        if isinstance(value, Meta):
            raise self.fail(node, f"{self.piece(node)!r} describes a tensor ({value.text}), "
                                  "it is not a value of the function")
        if isinstance(value, tuple):
            raise self.fail(node, f"{self.piece(node)!r} is a tuple of {len(value)} values "
                                  "where one number is needed; unpack it (a, b = ...) first")
        what = {Instance: "an object", Layer: "a layer", Function: "a function"}.get(
            type(value), type(value).__name__)
        raise self.fail(node, f"{self.piece(node)!r} is {what}, not a number; call it")

    def value(self, node: ast.expr) -> Value:
        """Any value: numbers, conditions, options, tuples, layers, objects."""
        if isinstance(node, ast.Name):
            return self._name_value(node)
        if isinstance(node, ast.Constant) and (node.value is None or isinstance(
                node.value, str | bool)):
            return Static(node.value)
        if isinstance(node, ast.Attribute):
            return self._attribute_value(node)
        if isinstance(node, ast.Call):
            return self._call_value(node)
        if _is_condition(node):
            return self.condition(node)
        if isinstance(node, ast.IfExp):
            test = self.condition(node.test)
            if isinstance(test, Static):
                self._note_options(node.test)
                return self.value(node.body if test.value else node.orelse)
            if isinstance(test, Unknowable):
                return self._either(node, self.value(node.body), self.value(node.orelse))
            body, orelse = self.expr(node.body), self.expr(node.orelse)
            return self._apply(node, "a if c else b", catalog.where, test, body, orelse)
        if isinstance(node, ast.Lambda):
            body = ast.Return(node.body)
            definition = ast.FunctionDef(name="<lambda>", args=node.args, body=[body],
                                         decorator_list=[], returns=None)
            for part in (body, definition):
                ast.copy_location(part, node)
            return Function(definition, closure=dict(self.env))
        if isinstance(node, ast.Tuple | ast.List):
            return tuple(self.value(e) for e in node.elts)
        if isinstance(node, ast.Subscript):
            return self._subscript(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            inner = self.value(node.operand)
            if isinstance(inner, Static) and isinstance(inner.value, str):
                raise self.fail(node, f"{self.piece(node)!r}: a string cannot be negated")
        try:
            return super()._expr(node)
        except InputError:
            raise
        except (TypeError, ValueError, ArithmeticError, NotImplementedError,
                AttributeError) as exc:  # SymPy refusing what was built
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise self.fail(node, f"{self.piece(node)!r} cannot be built: {first}") from None

    def _either(self, node: ast.AST, first: Value, second: Value) -> Value:
        if first == second:
            self.note(node, f"the test in {self.piece(node)!r} is on the input's type or "
                            "shape; both ways give the same value")
            return first
        raise self.fail(node, "this choice depends on the input's type or shape, not on its "
                              "value, and the two ways compute different things; write the "
                              "way your inputs take")

    def _name_value(self, node: ast.Name) -> Value:
        name = node.id
        if name in self.env:
            return self.env[name]
        if name in self.globals:
            return self.globals[name]
        if name in self.functions:
            return Function(self.functions[name], closure=self.closures.get(name))
        if name in self.aliases:  # imported function used as a value
            target = self.aliases[name]
            dotted = ast.unparse(target)
            prefix, _, last = dotted.rpartition(".")
            space = catalog.SPACES.get(_canonical(prefix))
            if space is not None and last in space.functions:
                return Layer(f"{_canonical(prefix)}.{last}")
            raise self.fail(node, f"{name!r} is a function; call it, as in {name}(x)")
        if name in _BUILTIN_TYPES:
            return Static(_BUILTIN_TYPES[name])
        if name in ("True", "False", "None"):  # pragma: no cover - Constants in Python 3
            return Static(eval(name))
        if name not in catalog.CONSTANTS and name not in catalog.BARE \
                and name not in catalog.NOT_REAL:
            raise self.fail(node, f"{name!r} is not a parameter, a local variable or a "
                                  "module-level number; make it a parameter (with a default "
                                  "for a constant) or assign it in the function")
        return super()._name(node)

    def _constant(self, node: ast.Constant) -> sympy.Expr:
        # the parser reads a literal's digits from its one-line text; here from the file
        if isinstance(node.value, int | float) and not isinstance(node.value, bool):
            try:
                return parsing._decimal(ast.get_source_segment(self.source, node) or "")
            except InputError as exc:
                raise self.fail(node, str(exc)) from None
        return super()._constant(node)

    # --- attributes ---------------------------------------------------------------------------

    def _attribute_value(self, node: ast.Attribute) -> Value:
        owner = node.value
        if isinstance(owner, ast.Name) and owner.id not in self.env and (
                owner.id in self.globals or owner.id in self.defined):
            raise self.fail(node, f"{owner.id!r} is assigned in this file, so "
                                  f"{self.piece(node)!r} may not be the library's; import "
                                  "the module under that name instead")
        if _module_path(owner) is not None and not self._is_local(owner) and not (
                isinstance(owner, ast.Name) and owner.id in self.classes):
            dotted = f"{_module_path(owner)}.{node.attr}"
            if _is_dtype(node.attr) or node.attr.startswith("_"):
                return Meta(dotted)
            if node.attr in ("inf",):
                return S.Infinity
            prefix = _canonical(_module_path(owner) or "")
            space = catalog.SPACES.get(prefix)
            if space is not None and node.attr in space.functions:
                return Layer(f"{prefix}.{node.attr}")  # a library function as a value
            if space is None and node.attr not in catalog.CONSTANTS:
                return Meta(dotted)  # an enum or a module constant: no value of f
            return super()._attribute(node)
        base = self.value(owner)
        if isinstance(base, Instance):
            if node.attr in base.attributes:
                return base.attributes[node.attr]
            method = self.method_of(base, node.attr)
            if method is not None:
                return Function(method.node, method.owner, bound=base)
            if node.attr == "training":
                self.note(node, "self.training is taken as False (the module in evaluation "
                                "mode)")
                return Static(False, "self.training")
            raise self.fail(node, f"self.{node.attr} is not set in __init__ (nor in the "
                                  "class body); set it there, or pass it to the method")
        if isinstance(base, sympy.Basic):
            if node.attr in ("data", "T", "mT", "real"):
                return base
            if node.attr in tables.METADATA or _is_dtype(node.attr):
                return Meta(self.piece(node))
        raise self.fail(node, f"{self.piece(node)!r}: {node.attr!r} is not an attribute "
                              "diffcheck can read here")

    def _is_local(self, node: ast.expr) -> bool:
        root = node
        while isinstance(root, ast.Attribute):
            root = root.value
        return isinstance(root, ast.Name) and root.id in self.env

    def _dotted(self, node: ast.Attribute) -> tuple[str, catalog.Space, str]:
        if self._is_local(node):
            raise self.fail(node, f"{self.piece(node)!r} is a method of a local value that "
                                  "diffcheck does not know; write the function it computes")
        prefix = _module_path(node.value)
        known = prefix is not None and _canonical(prefix) in catalog.SPACES
        if not known:
            listed = ", ".join(sorted(p for p in catalog.SPACES if "." not in p))
            written = self.piece(node)
            meant = f" ({written} is {prefix}.{node.attr} here)" if prefix and not \
                written.startswith(prefix + ".") else ""
            raise self.fail(node, f"{written!r}{meant} is not in a module diffcheck knows "
                                  f"(it reads the prefixes {listed} and their known "
                                  "submodules); import the library under its usual name, "
                                  "or write the formula")
        assert prefix is not None
        canonical = _canonical(prefix)
        space = catalog.SPACES[canonical]
        if node.attr in catalog.NOT_REAL:
            raise self.fail(node, catalog.NOT_REAL[node.attr])
        return f"{canonical}.{node.attr}", space, node.attr

    def _function(self, func: ast.expr) -> tuple[str, catalog.Fn]:
        if isinstance(func, ast.Attribute):
            dotted, space, name = self._dotted(func)
            if name not in space.functions and name.endswith("_") and \
                    name[:-1] in space.functions:
                name, dotted = name[:-1], dotted[:-1]  # torch.relu_: in place, same values
            if name not in space.functions:
                raise self.fail(func, parsing._unknown("function", dotted, space.functions,
                                                       dotted[:-len(name)]))
            return dotted, space.functions[name]
        if isinstance(func, ast.Name) and (func.id in self.env or func.id in self.defined):
            raise self.fail(func, f"{func.id!r} is defined in this file, not a function "
                                  "diffcheck knows, and not a function it can inline")
        return super()._function(func)

    # --- calls --------------------------------------------------------------------------------

    def _call_value(self, node: ast.Call) -> Value:
        func = node.func
        if isinstance(func, ast.Name) and func.id not in self.env:
            builtin = self._builtin(node, func.id)
            if builtin is not None:
                return builtin
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and (
                func.value.id in self.classes and func.value.id not in self.env):
            return self._class_call(node, func.value.id, func.attr)
        if isinstance(func, ast.Attribute) and not _module_like(func.value, self):
            return self._method(node, func)
        target = self.value(func) if isinstance(func, ast.Name) and (
            func.id in self.env or func.id in self.functions) else None
        if isinstance(target, Function | Layer | Instance):
            return self._call_object(node, target)
        if target is not None:
            raise self.fail(node, f"{func.id!r} is not a function"  # type: ignore[attr-defined]
                            )
        last = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        path = _module_path(func.value) if isinstance(func, ast.Attribute) else None
        root = (path or "").split(".")[0]
        if root in self.defined and root not in self.aliases:
            raise self.fail(func, f"{root!r} is assigned in this file, so "
                                  f"{self.piece(func)!r} may not be the library's; import "
                                  "the module under that name instead")
        if path is not None and path.split(".")[0] in tables.ROOTS:
            special = self._library_call(node, path, last)
            if special is not None:
                return special
            if isinstance(func, ast.Attribute) and not self._knows(func) and \
                    self._describes(node):
                return Meta(self.piece(node))  # a function of dtypes, options, shapes
        _, fn = self._function(func)
        if fn.gives == "cond":
            return self._call(node, "cond")
        return self._constant_value(node, self._call(node, "expr"))

    def _knows(self, func: ast.Attribute) -> bool:
        """Whether ``func`` is a function of a module diffcheck reads."""
        prefix = _module_path(func.value)
        space = catalog.SPACES.get(_canonical(prefix or ""))
        return space is not None and (func.attr in space.functions or (
            func.attr.endswith("_") and func.attr[:-1] in space.functions))

    def _describes(self, node: ast.Call) -> bool:
        """Whether every argument is an option, a dtype or a shape (no value of f)."""
        try:
            values = [self.value(a) for a in node.args] + [
                self.value(k.value) for k in node.keywords]
        except (FunctionError, InputError):
            return False
        return all(isinstance(v, Static | Meta | Unknowable) for v in values)

    def _class_call(self, node: ast.Call, owner: str, name: str) -> Value:
        """``Class.static_call(x)``: a static method (or a method given its object)."""
        instance = Instance(owner)
        method = self.method_of(instance, name)
        if method is None:
            raise self.fail(node, f"{owner}.{name} is not a method of {owner} in this file")
        static = any(isinstance(d, ast.Name) and d.id == "staticmethod"
                     for d in method.node.decorator_list)
        if not static:
            raise self.fail(node, f"{owner}.{name}(...) calls a method on the class; call "
                                  "it on an object, or make it a staticmethod")
        args = [self.value(a) for a in node.args]
        kwargs = {kw.arg or "": self.value(kw.value) for kw in node.keywords}
        return self.call_function(method, node, args, kwargs, None)

    def _builtin(self, node: ast.Call, name: str) -> Value | None:
        if name in ("isinstance", "issubclass") and len(node.args) == 2:
            first, kinds = self.value(node.args[0]), self.value(node.args[1])
            if isinstance(first, Static) and all(isinstance(k, Static) and isinstance(
                    k.value, type) for k in (kinds if isinstance(kinds, tuple) else (kinds,))):
                types = tuple(k.value for k in (kinds if isinstance(kinds, tuple) else (kinds,))
                              if isinstance(k, Static) and isinstance(k.value, type))
                return Static(isinstance(first.value, types))
            if isinstance(first, sympy.Basic) and all(isinstance(k, Static) and k.value in (
                    str, bool, type(None)) for k in (
                    kinds if isinstance(kinds, tuple) else (kinds,))):
                return Static(False)  # a value of f is never a string or a bool
        if name in tables.TYPE_TESTS:
            return UNKNOWABLE
        if name == "type" and len(node.args) == 1:
            arg = self.value(node.args[0])
            return Static(type(arg.value)) if isinstance(arg, Static) else Meta(self.piece(node))
        if name == "len" and len(node.args) == 1:
            arg = self.value(node.args[0])
            if isinstance(arg, tuple):
                return sympy.Integer(len(arg))
            self.note(node, f"{self.piece(node)!r} is read for a batch of one element: 1")
            return S.One
        if name in ("float", "int") and len(node.args) == 1 and not node.keywords:
            arg = self.value(node.args[0])
            if isinstance(arg, Static) and isinstance(arg.value, str):
                word = arg.value.strip().lower()
                if word in ("inf", "+inf", "infinity", "-inf", "-infinity"):
                    return S.NegativeInfinity if word.startswith("-") else S.Infinity
                raise self.fail(node, f"{self.piece(node)!r} is not a number")
            if name == "int" and isinstance(arg, sympy.Expr) and not arg.is_integer:
                raise self.fail(node, "int() truncates; write floor(...) or ceiling(...)")
            return arg
        if name == "bool" and len(node.args) == 1:
            return self.condition(node.args[0])
        if name == "super":
            raise self.fail(node, "super() is read only as super().__init__(...) in __init__")
        return None

    def _library_call(self, node: ast.Call, path: str, last: str) -> Value | None:
        """Plumbing, reductions and layers: what a library call means beyond its formula."""
        positional = [a for a in node.args
                      if not (isinstance(a, ast.Constant) and isinstance(a.value, str))]
        if last == "cond" and path.split(".")[0] in ("jax", "lax", "ops", "keras", "tf",
                                                     "tensorflow"):
            return self._cond(node)
        if last in tables.ELEMENTWISE_TESTS and len(positional) == 1:
            self.note(node, f"{self.piece(node)!r} is read for one element")
            return self.condition(positional[0])
        if last in tables.REAL_TESTS and len(positional) == 1 and isinstance(
                self.value(positional[0]), sympy.Expr):
            return Static(tables.REAL_TESTS[last])
        if last in tables.TUPLE_PLUMBING:
            return tuple(self.value(a) for a in positional)
        if last in tables.PLUMBING and positional:
            if last == "stop_gradient" or last == "detach":
                self.note(node, f"{last}(...) keeps the values (the gradient through it is "
                                "zero)")
            return self._cast(node, self.value(positional[0]), node.args[1:] + [
                kw.value for kw in node.keywords if kw.arg == "dtype"])
        if last in tables.REDUCTIONS or (last in ("max", "min") and len(node.args) == 1):
            if not positional:
                raise self.fail(node, f"{last}() of nothing")
            self.note(node, f"{self.piece(node)!r} reduces over a batch; the function of "
                            "one element is analysed")
            return self.value(positional[0])
        if last in tables.METADATA:
            return Meta(self.piece(node))
        if last in tables.TYPE_TESTS:
            return UNKNOWABLE
        if path.split(".")[-1] == "nn" and last in tables.LAYERS:
            args = tuple(self.value(a) for a in node.args)
            kwargs = tuple((kw.arg or "", self.value(kw.value)) for kw in node.keywords
                           if kw.arg not in _QUIET_KEYWORDS)
            return Layer(tables.LAYERS[last], args, kwargs)
        if last in ("zeros", "ones", "full", "empty") and node.args and self._describes(
                ast.Call(func=node.func, args=node.args[:1], keywords=[])):
            if last == "full":
                fill = [kw.value for kw in node.keywords if kw.arg == "fill_value"]
                return self.value(fill[0] if fill else node.args[1])
            if last == "empty":
                raise self.fail(node, "empty(...) holds no values; assign every element")
            return S.Zero if last == "zeros" else S.One
        if last in ("zeros_like", "ones_like", "full_like") and positional:
            if last == "full_like":
                fill = [kw.value for kw in node.keywords if kw.arg == "fill_value"]
                return self.value(fill[0] if fill else positional[1])
            return S.Zero if last == "zeros_like" else S.One
        if last == "epsilon" and not node.args:
            self.note(node, "backend.epsilon() is Keras' default, 1e-7")
            return sympy.Rational(1, 10**7)
        return None

    def _cond(self, node: ast.Call) -> Value:
        """``lax.cond(pred, true_fun, false_fun, *operands)`` (also ``tf.cond``, ``ops.cond``):
        the value of the branch the predicate picks, element by element."""
        named = {kw.arg: kw.value for kw in node.keywords}
        args = list(node.args)
        pred = args.pop(0) if args else named.get("pred")
        branches = [args.pop(0) if args else named.get(key) for key in (
            "true_fn", "false_fn")]
        if pred is None or branches[0] is None or branches[1] is None:
            raise self.fail(node, "cond(pred, true_fun, false_fun, *operands): missing "
                                  "arguments")
        test = self.condition(pred)
        operands = [self.value(a) for a in args]
        values = []
        for branch in branches:
            assert branch is not None
            function = self.value(branch)
            if not isinstance(function, Function):
                raise self.fail(node, f"{self.piece(branch)!r} is not a function of this "
                                      "file or a lambda")
            values.append(lambda f=function: self.call_function(f, node, operands, {},
                                                                  f.bound))
        if isinstance(test, Static):
            return values[0 if test.value else 1]()
        first, second = values[0](), values[1]()
        if isinstance(test, Unknowable):
            return self._either(node, first, second)
        return catalog.where(test, self.number(node, first), self.number(node, second))

    def _cast(self, node: ast.AST, value: Value, dtypes: list[ast.expr]) -> Value:
        """A cast: the identity, except a cast of a non-mask number to an integer type."""
        for dtype in dtypes:
            text = self.piece(dtype).lower()
            if ("int" in text or "long" in text) and isinstance(value, sympy.Expr) and not (
                    value.is_integer):
                raise self.fail(node, f"{self.piece(node)!r} casts to an integer type, which "
                                      "truncates; write floor(...) or ceiling(...)")
            if "bool" in text and isinstance(value, sympy.Expr):
                return sympy.Ne(value, 0)
        return value

    def _method(self, node: ast.Call, func: ast.Attribute) -> Value:
        """``value.method(...)``: a tensor method, a layer or a method of ``self``."""
        if isinstance(func.value, ast.Name) and func.value.id in _PREFIX_ROOTS and isinstance(
                self.env.get(func.value.id), sympy.Symbol):
            raise self.fail(func, f"{func.value.id!r} is a parameter here, so "
                                  f"{self.piece(func)!r} may not be the library's; import "
                                  "the module under that name instead")
        base = self.value(func.value)
        name = func.attr.rstrip("_") if func.attr.endswith("_") and not func.attr.startswith(
            "_") else func.attr
        if isinstance(base, Instance):
            return self._self_method(node, base, func.attr)
        if isinstance(base, Broken):
            raise base.error
        if isinstance(base, Static) and isinstance(base.value, str):
            raise self.fail(node, f"{self.piece(node)!r}: string methods are not read")
        if isinstance(base, Meta | Unknowable):
            return Meta(self.piece(node))
        if not isinstance(base, sympy.Basic):
            raise self.fail(node, f"{self.piece(node)!r}: a method of something that is not "
                                  "a tensor")
        if name in tables.IDENTITY_METHODS or name == "astype":
            dtypes = [*node.args[:1], *(kw.value for kw in node.keywords if kw.arg in (
                "dtype", "dst_type"))]
            if name in ("float", "double", "half", "bfloat16"):
                dtypes = []
            return self._cast(node, base, dtypes)
        if name == "bool" and isinstance(base, sympy.Expr):
            return sympy.Ne(base, 0)
        if name in ("long", "int"):
            if isinstance(base, sympy.Expr) and not base.is_integer:
                raise self.fail(node, f"{self.piece(node)!r} casts to an integer type, which "
                                      "truncates; write floor(...) or ceiling(...)")
            return base
        if name in tables.REDUCTIONS or (name in ("max", "min", "amax", "amin") and all(
                _is_axis(a) for a in node.args)):
            self.note(node, f"{self.piece(node)!r} reduces over a batch; the function of "
                            "one element is analysed")
            return base
        if name in ("numel", "nelement") or (name == "size" and node.args):
            self.note(node, f"{self.piece(node)!r} is read for a batch of one element: 1")
            return S.One
        if name in ("new_tensor", "new_full"):
            return self.value(node.args[-1]) if node.args else self.fail_arguments(node)
        if name in ("new_zeros", "new_ones", "zero", "zeros_like", "ones_like"):
            return S.One if "one" in name else S.Zero
        if name == "where":  # Tensor.where(condition, other): self where it holds
            return self._rewritten(node, "torch.where", [node.args[0], func.value,
                                                        *node.args[1:]], node.keywords)
        if name == "masked_fill":
            return self._rewritten(node, "torch.where", [*node.args[:1], *node.args[1:2],
                                                        func.value], node.keywords)
        if name in tables.METHODS:
            return self._rewritten(node, tables.METHODS[name], [func.value, *node.args],
                                   node.keywords)
        if name in tables.METADATA:
            return Meta(self.piece(node))
        raise self.fail(node, f"the tensor method .{func.attr}() is not one diffcheck knows "
                              f"(it reads .{', .'.join(sorted(tables.METHODS)[:12])}, ... and "
                              "casts such as .float()); write the function it computes")

    def fail_arguments(self, node: ast.Call) -> Value:
        raise self.fail(node, f"{self.piece(node)!r}: missing arguments")

    def _rewritten(self, node: ast.Call, dotted: str, args: list[ast.expr],
                   keywords: list[ast.keyword]) -> Value:
        call = ast.Call(func=ast.parse(dotted, mode="eval").body, args=args, keywords=keywords)
        for part in ast.walk(call.func):
            ast.copy_location(part, node)
        ast.copy_location(call, node)
        call.end_lineno, call.end_col_offset = node.end_lineno, node.end_col_offset
        return self._call_value(call)

    def _self_method(self, node: ast.Call, instance: Instance, name: str) -> Value:
        attribute = instance.attributes.get(name)
        if isinstance(attribute, Layer | Function):
            return self._call_object(node, attribute)
        method = self.method_of(instance, name)
        if method is None:
            raise self.fail(node, f"self.{name} is neither a method of {instance.name} in this "
                                  "file nor a layer set in __init__")
        return self._call_object(node, method, instance)

    def method_of(self, instance: Instance, name: str) -> Function | None:
        raise NotImplementedError  # pragma: no cover - see statements.Reader

    def _call_object(self, node: ast.Call, target: Value,
                     instance: Instance | None = None) -> Value:
        args = [self.value(a) for a in node.args]
        kwargs = {kw.arg or "": self.value(kw.value) for kw in node.keywords}
        if any(isinstance(a, ast.Starred) for a in node.args) or any(
                kw.arg is None for kw in node.keywords):
            raise self.fail(node, "*args and **kwargs in a call are not supported")
        if isinstance(target, Function):
            return self.call_function(target, node, args, kwargs, instance or target.bound)
        if isinstance(target, Layer):
            if not target.function:  # nn.Identity
                return args[0] if args else self.fail_arguments(node)
            return self.call_with_values(node, target.function, [*args, *target.args],
                                         {**dict(target.kwargs), **kwargs})
        if isinstance(target, Instance):
            forward = self.method_of(target, "forward") or self.method_of(target, "__call__")
            if forward is None:
                raise self.fail(node, f"{target.name} has no forward or __call__ method here")
            return self.call_function(forward, node, args, kwargs, target)
        raise self.fail(node, f"{self.piece(node.func)!r} cannot be called")

    def call_with_values(self, node: ast.Call, dotted: str, args: list[Value],
                         kwargs: dict[str, Value]) -> Value:
        """Call the library function ``dotted`` on values already read."""
        saved = self.env
        env = dict(saved)
        names: list[ast.expr] = []
        for i, value in enumerate([*args, *kwargs.values()]):
            env[f"_dc_value_{i}"] = value
            names.append(ast.copy_location(ast.Name(f"_dc_value_{i}", ast.Load()), node))
        keywords = [ast.keyword(key, names[len(args) + i])
                    for i, key in enumerate(kwargs)]
        self.env = env
        try:
            return self._rewritten(node, dotted, names[:len(args)], keywords)
        finally:
            self.env = saved

    def _bind(self, node: ast.Call, name: str, signature: inspect.Signature) -> dict[str, Any]:
        keywords = [kw for kw in node.keywords if kw.arg in signature.parameters or (
            kw.arg not in _QUIET_KEYWORDS and kw.arg not in _REDUCTION_KEYWORDS)]
        for kw in node.keywords:
            if kw.arg in _REDUCTION_KEYWORDS and kw.arg not in signature.parameters:
                self.note(node, f"{name}(..., {kw.arg}=...): one element's loss is analysed")
        try:
            bound = signature.bind(*node.args, **{kw.arg or "": kw.value for kw in keywords})
        except TypeError as exc:
            raise self.fail(node, f"{name}(): {exc}; it takes "
                                  f"{', '.join(signature.parameters)}") from None
        return {key: self._option_argument(arg, signature.parameters[key].default)
                for key, arg in bound.arguments.items()}

    def _option_argument(self, node: ast.expr, default: object) -> Any:
        value = self.value(node)
        if isinstance(value, Static) and (value.value is None or isinstance(
                default, str | bool) or (default is None and isinstance(value.value, str))):
            return value.value
        if isinstance(value, Meta):
            return None if default is None else self.number(node, value)
        return self.number(node, value)

    # --- conditions ---------------------------------------------------------------------------

    def cond(self, node: ast.expr) -> sympy.Basic:
        test = self.condition(node)
        if isinstance(test, Static):
            return S.true if test.value else S.false
        if isinstance(test, Unknowable):
            raise self.fail(node, "this test is on the input's type or shape, not its value; "
                                  "it cannot choose between values")
        return test

    def condition(self, node: ast.expr) -> Condition:
        """A test: decided now (:class:`Static`), on the input's type, or a SymPy condition."""
        if isinstance(node, ast.Compare):
            return self._compare(node)
        if isinstance(node, ast.BoolOp):
            return self._combine([self.condition(v) for v in node.values],
                                 isinstance(node.op, ast.And))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.Invert):
            inner = self.condition(node.operand)
            if isinstance(inner, Static):
                return Static(not inner.value)
            return inner if isinstance(inner, Unknowable) else sympy.Not(inner)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitAnd | ast.BitOr):
            return self._combine([self.condition(node.left), self.condition(node.right)],
                                 isinstance(node.op, ast.BitAnd))
        if isinstance(node, ast.Call):
            func = node.func
            if not (isinstance(func, ast.Name) and func.id in self.env):
                last = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if last in tables.SYMBOLIC_TESTS:
                    self.note(node, f"{self.piece(node)!r} is taken as False: the eager path "
                                    "is read (the symbolic one computes the same values)")
                    return Static(False)
                if last in tables.TYPE_TESTS or (last.startswith(("is_", "has_")) and not (
                        isinstance(func, ast.Name) and func.id in self.functions)):
                    return UNKNOWABLE
                if last in tables.ELEMENTWISE_TESTS and len(node.args) == 1:
                    self.note(node, f"{self.piece(node)!r} is read for one element")
                    return self.condition(node.args[0])
                if last in tables.REAL_TESTS and len(node.args) == 1 and isinstance(
                        self.value(node.args[0]), sympy.Expr):
                    return Static(tables.REAL_TESTS[last])
        return self._truth(node, self.value(node))

    def _truth(self, node: ast.AST, value: Value) -> Condition:
        if isinstance(value, Static | Unknowable) or (
                isinstance(value, Boolean) and not isinstance(value, sympy.Expr)):
            return value
        if isinstance(value, Meta):
            return UNKNOWABLE
        if isinstance(value, Broken):
            raise value.error
        if isinstance(value, sympy.Expr):
            condition = _mask_condition(value)
            return sympy.Ne(value, 0) if condition is None else condition
        raise self.fail(node, f"{self.piece(node)!r} cannot be a condition")

    def _combine(self, parts: list[Condition], conjunction: bool) -> Condition:
        statics = [p for p in parts if isinstance(p, Static)]
        if any(bool(p.value) is not conjunction for p in statics):
            return Static(not conjunction)  # False and ..., True or ...
        rest = [p for p in parts if not isinstance(p, Static)]
        if not rest:
            return Static(conjunction)
        if any(isinstance(p, Unknowable) for p in rest):
            return UNKNOWABLE
        return sympy.And(*rest) if conjunction else sympy.Or(*rest)

    def _compare(self, node: ast.Compare) -> Condition:
        sides = [self.value(node.left), *(self.value(c) for c in node.comparators)]
        results: list[Condition] = []
        for op, (a, b) in zip(node.ops, itertools.pairwise(sides), strict=True):
            results.append(self._relation(node, op, a, b))
        return results[0] if len(results) == 1 else self._combine(results, True)

    def _relation(self, node: ast.Compare, op: ast.cmpop, a: Value, b: Value) -> Condition:
        if any(isinstance(v, Meta | Unknowable) for v in (a, b)):
            return UNKNOWABLE
        if isinstance(op, ast.Is | ast.IsNot):
            same = a is b or (isinstance(a, Static) and isinstance(b, Static)
                              and a.value is b.value)
            return Static(same if isinstance(op, ast.Is) else not same)
        if isinstance(op, ast.In | ast.NotIn):
            if isinstance(b, tuple) and isinstance(a, Static) and all(
                    isinstance(v, Static) for v in b):
                found = a.value in [v.value for v in b]
                return Static(found if isinstance(op, ast.In) else not found)
            raise self.fail(node, "'in' is read only as an option among constants, as in "
                                  "reduction in ('mean', 'sum')")
        if isinstance(a, Static) or isinstance(b, Static):
            if isinstance(a, Static) and isinstance(b, Static):
                try:
                    return Static(bool(_STATIC_OPS[type(op)](a.value, b.value)))
                except TypeError:
                    raise self.fail(node, f"{self.piece(node)!r} compares values of "
                                          "different kinds") from None
            other = b if isinstance(a, Static) else a
            static = a if isinstance(a, Static) else b
            assert isinstance(static, Static)
            if isinstance(static.value, str | type(None)) and isinstance(op, ast.Eq | ast.NotEq):
                return Static(isinstance(op, ast.NotEq))  # a number is never a string
            if isinstance(other, sympy.Basic):
                a, b = (self.number(node, v) for v in (a, b))
            else:
                raise self.fail(node, f"{self.piece(node)!r} cannot be decided")
        if type(op) not in _RELATIONS:  # pragma: no cover - all handled above
            raise self.fail(node, "not a comparison of numbers")
        left, right = self.number(node, a), self.number(node, b)
        return self._apply(node, "comparison", _RELATIONS[type(op)], left, right)

    def _note_options(self, test: ast.AST) -> None:
        """Say which options' defaults decided a test."""
        for part in ast.walk(test):
            if isinstance(part, ast.Name | ast.Attribute):
                try:
                    value = self.value(part) if isinstance(part, ast.Name) else None
                except FunctionError:
                    continue
                if isinstance(value, Static) and value.origin:
                    how = "its default" if value.default else "as given"
                    self.note(test, f"{self.piece(test)!r} is decided by {value.origin} = "
                                    f"{value.value!r} ({how}; --option to change it)")

    # --- subscripts ---------------------------------------------------------------------------

    def _subscript(self, node: ast.Subscript) -> Value:
        base = self.value(node.value)
        index = node.slice
        if isinstance(base, tuple) and isinstance(index, ast.Constant) and isinstance(
                index.value, int):
            try:
                return base[index.value]
            except IndexError:
                raise self.fail(node, f"{self.piece(node)!r}: index out of range") from None
        if isinstance(base, Meta):
            if base.text.endswith(".shape") and not isinstance(index, ast.Slice):
                self.note(node, f"{self.piece(node)!r} is read for a batch of one element: 1")
                return S.One
            return Meta(self.piece(node))
        if isinstance(base, sympy.Basic) and _whole(index):
            return base
        if isinstance(base, sympy.Expr) and not (isinstance(index, ast.Constant) or (
                isinstance(index, ast.UnaryOp) and isinstance(index.operand, ast.Constant))):
            mask = self.condition(index)
            if not isinstance(mask, Static | Unknowable):
                # the elements a mask selects keep their value; the others no longer count
                # (their share of a sum over the selection is 0)
                self.note(node, f"{self.piece(node)!r}: an element the mask leaves out counts "
                                "as 0")
                return sympy.Piecewise((base, mask), (S.Zero, True))
        raise self.fail(node, f"{self.piece(node)!r} picks elements of a batch; diffcheck "
                              "reads the function of one element: write it for one value")


# --- helpers ----------------------------------------------------------------------------------


def _is_condition(node: ast.expr) -> bool:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitAnd | ast.BitOr):
        return True
    return isinstance(node, ast.Compare | ast.BoolOp) or (
        isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.Invert))


def _mask_condition(value: sympy.Expr) -> sympy.Basic | None:
    """The condition of a 0/1 mask (a product of masks: all of them), else None."""
    if isinstance(value, sympy.Piecewise) and len(value.args) == 2 and \
            value.args[0][0] == 1 and value.args[1] == (0, True):
        return value.args[0][1]
    if isinstance(value, sympy.Mul):
        parts = [_mask_condition(f) for f in value.args]
        if all(p is not None for p in parts):
            return sympy.And(*parts)
    return None


def _module_path(node: ast.expr) -> str | None:
    """``torch.nn.functional`` for that chain of attributes on a name, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


def _module_like(node: ast.expr, reader: ValueReader) -> bool:
    """Whether ``node`` names a module (``torch.nn``), not a value (``x``, ``self.act``)."""
    return _module_path(node) is not None and not reader._is_local(node) and not (
        isinstance(node, ast.Name) and (node.id in reader.functions or node.id in
                                        reader.globals))


def _canonical(prefix: str) -> str:
    prefix = catalog.canonical_module(prefix)
    for private in ("._src", ".src"):
        prefix = prefix.replace(private, "")
    return prefix


def _is_dtype(name: str) -> bool:
    return name.rstrip("0123456789_") in ("float", "int", "uint", "bfloat", "bool", "complex",
                                          "double", "half", "long", "dtype", "float_")


def _is_axis(node: ast.expr) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, int)) or (
        isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant))


def _whole(index: ast.expr) -> bool:
    """``...``, ``None``, ``:`` or a tuple of them: the whole tensor, reshaped at most."""
    parts = index.elts if isinstance(index, ast.Tuple) else [index]
    return all((isinstance(p, ast.Constant) and p.value in (None, Ellipsis)) or (
        isinstance(p, ast.Slice) and p.lower is None and p.upper is None and p.step is None)
        for p in parts)
