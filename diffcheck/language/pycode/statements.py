"""Statements of ML code -> one exact value: paths, options, validation, helpers, classes.

:class:`Reader` walks a function's body as :mod:`diffcheck.language.pyfunction` describes:
every path through the ``if`` statements ends in a ``return`` (a path that raises is
where the function is undefined), ``if`` tests on options are decided when the code
is read, tests on the input's type keep both ways when they agree, validation calls
are left out (and said), and calls of the file's functions and methods are inlined.
"""

from __future__ import annotations

import ast
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

import sympy
from sympy import S
from sympy.logic.boolalg import Boolean

from diffcheck.budget import BudgetExceeded, budget
from diffcheck.errors import InputError, ParseError
from diffcheck.language import library as catalog
from diffcheck.language import parsing
from diffcheck.language.pycode import tables
from diffcheck.language.pycode.base import (
    RAISES,
    Broken,
    Function,
    FunctionError,
    Instance,
    Raises,
    Static,
    Translation,
    Unknowable,
    Value,
)
from diffcheck.language.pycode.values import ValueReader, _module_path, _whole

MAX_FILE = 1_000_000  #: characters of a source file
MAX_PATHS = 64  #: paths through the if statements of one function
MAX_INLINE = 16  #: depth of calls of the file's own functions

Result: TypeAlias = "Value | Raises"

_AUGMENTED: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b, ast.Pow: catalog.power,
}
_STATEMENTS: dict[type[ast.stmt], str] = {
    ast.For: "loops are not supported; write the expression for one value",
    ast.While: "loops are not supported; write the expression for one value",
    ast.Try: "try/except is not supported; keep the code of the path that runs",
    ast.Global: "global is not supported", ast.Nonlocal: "nonlocal is not supported",
    ast.Delete: "del is not supported", ast.Match: "match is not supported; use if/elif/else",
    ast.ClassDef: "classes inside a function are not supported",
}


class Reader(ValueReader):
    """One file: its imports, constants, functions and classes, and one function's value."""

    def __init__(self, source: str, path: str, options: Mapping[str, str] | None = None) -> None:
        if len(source) > MAX_FILE:
            raise FunctionError(path, None, None, "", f"the file is {len(source):,} characters "
                                f"long; the limit is {MAX_FILE:,}")
        try:
            module = ast.parse(source, filename=path)
        except SyntaxError as exc:
            raise FunctionError(path, exc.lineno, exc.offset, (exc.text or "").strip(),
                                f"not valid Python: {exc.msg}") from None
        except (ValueError, RecursionError, MemoryError) as exc:
            raise FunctionError(path, None, None, "", f"not valid Python: {exc}") from None
        aliases = _aliases(module)
        super().__init__(source, path, aliases)
        self.module = _Imports(aliases).visit(module)
        self.classes = {n.name: n for n in self.module.body if isinstance(n, ast.ClassDef)}
        self.functions = {n.name: n for n in self.module.body
                          if isinstance(n, ast.FunctionDef)}
        self.options = dict(options or {})
        self.used_options: set[str] = set()
        self.paths = 0
        self.depth = 0
        self._module_constants()

    # --- the entry --------------------------------------------------------------------------

    def translate(self, name: str, var: str | None) -> Translation:
        if sum(1 for _ in ast.walk(self.module)) > 4 * parsing.MAX_NODES:
            raise FunctionError(self.path, None, None, "", "the file has too many parts")
        owner, _, method = name.partition(".")
        start = time.monotonic()
        try:
            with budget(parsing.MAX_SECONDS):
                if method or owner in self.classes:
                    node, instance = self._method_target(owner, method)
                else:
                    node, instance = self._function_target(name), None
                self._decorators(node)
                params = _parameters(node)[1 if instance is not None else 0:]
                x = self._variable(node, params, var)
                env = self._bind_defaults(node, params, x, {})
                if instance is not None:
                    env[_parameters(node)[0][0].arg] = instance
                value = self._run(node, env)
        except RecursionError:
            raise FunctionError(self.path, None, None, "", "nested too deeply to "
                                "translate") from None
        except BudgetExceeded:
            if time.monotonic() - start < parsing.MAX_SECONDS:
                raise
            raise FunctionError(self.path, None, None, "", f"SymPy took more than "
                                f"{parsing.MAX_SECONDS:g} seconds to build this "
                                "function") from None
        unused = sorted(set(self.options) - self.used_options)
        if unused:
            raise FunctionError(self.path, None, None, "", f"--option {unused[0]}: no "
                                f"parameter (or __init__ parameter) of that name")
        expr = self.number(node, value)
        if len(expr.atoms(sympy.Piecewise)) <= 4:  # a mask times a value: one Piecewise
            expr = expr.replace(lambda e: isinstance(e, sympy.Mul) and any(
                _mask(a) for a in e.args), sympy.piecewise_fold)
        if problem := parsing._unreal(expr):
            raise FunctionError(self.path, node.lineno, None, "", f"the function's value "
                                f"cannot be analysed: {problem}")
        return Translation(expression=parsing.to_real(expr), variable=x,
                           notes=tuple(self.notes),
                           parameters=tuple(arg.arg for arg, _ in params))

    def _function_target(self, name: str) -> ast.FunctionDef:
        found = [n for n in self.module.body
                 if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == name]
        if not found:
            defined = [n.name for n in self.module.body if isinstance(n, ast.FunctionDef)]
            classes = [f"{c}.forward" for c in self.classes]
            listed = ", ".join(defined + classes) or "none"
            raise FunctionError(self.path, None, None, "", f"no function {name!r} at the top "
                                f"level of the file (functions defined there: {listed})")
        node = found[-1]  # the last definition wins, as in Python
        if isinstance(node, ast.AsyncFunctionDef):
            raise self.fail(node, "async functions are not supported")
        return node

    def _method_target(self, owner: str, method: str) -> tuple[ast.FunctionDef, Instance | None]:
        if owner not in self.classes:
            raise FunctionError(self.path, None, None, "", f"no class {owner!r} at the top "
                                f"level of the file (classes: {', '.join(self.classes) or 'none'})")
        instance = self._instance(owner)
        names = [method] if method else ["forward", "__call__", "call"]
        for candidate in names:
            function = self.method_of(instance, candidate)
            if function is not None:
                static = any(isinstance(d, ast.Name) and d.id == "staticmethod"
                             for d in function.node.decorator_list)
                return function.node, None if static else instance
        raise FunctionError(self.path, None, None, "", f"class {owner!r} has no method "
                            f"{' or '.join(names)} in this file")

    # --- module level -----------------------------------------------------------------------

    def _module_constants(self) -> None:
        """Top-level ``NAME = value`` are constants (the last one wins, as in Python).

        A name also assigned anywhere else (inside an ``if`` or loop at the top level, by
        ``+=``, in a tuple, or through ``global`` in a function) may hold another value
        when the function runs, so it is not one.
        """
        changing: set[str] = set()
        for node in self.module.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                changing |= {n for g in ast.walk(node) if isinstance(g, ast.Global)
                             for n in g.names}
            elif isinstance(node, ast.Import | ast.ImportFrom | ast.ClassDef):
                continue
            elif _simple_assignment(node)[0] is None:
                changing |= _stored(node)
        for node in self.module.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                self.defined.add(node.name)
            elif not isinstance(node, ast.Import | ast.ImportFrom):
                self.defined |= _stored(node)
        for node in self.module.body:
            target, value = _simple_assignment(node)
            if target is None or value is None or target in changing:
                continue
            self.globals.pop(target, None)
            self.env = {}
            try:
                number = self.value(value)
            except (ParseError, InputError):
                continue  # not a value: an error only if the function uses the name
            if isinstance(number, Static | sympy.Basic) and not (
                    isinstance(number, sympy.Basic) and number.free_symbols):
                self.globals[target] = number

    def _instance(self, name: str) -> Instance:
        """``self`` of class ``name``: class attributes, then ``__init__``'s assignments."""
        instance = Instance(name)
        chain = self._mro(name)
        for cls in reversed(chain):
            for stmt in cls.body:
                target, value = _simple_assignment(stmt)
                if target is not None and value is not None:
                    instance.attributes[target] = self._lazy(value, {})
        init = self.method_of(instance, "__init__")
        if init is not None:
            params = _parameters(init.node)[1:]
            env = self._bind_defaults(init.node, params, None, {})
            env[_parameters(init.node)[0][0].arg] = instance
            self._init_body(init.node.body, env, instance)
        return instance

    def _mro(self, name: str) -> list[ast.ClassDef]:
        chain: list[ast.ClassDef] = []
        todo = [name]
        while todo:
            current = todo.pop(0)
            cls = self.classes.get(current)
            if cls is None or cls in chain:
                continue
            chain.append(cls)
            todo += [b.id for b in cls.bases if isinstance(b, ast.Name)]
        return chain

    def method_of(self, instance: Instance, name: str) -> Function | None:
        for cls in self._mro(instance.name):
            for stmt in cls.body:
                if isinstance(stmt, ast.FunctionDef) and stmt.name == name:
                    return Function(stmt, cls.name)
        return None

    def _init_body(self, body: list[ast.stmt], env: dict[str, Value],
                   instance: Instance) -> None:
        """``self.name = value`` statements of ``__init__``, read where they can be."""
        for stmt in body:
            if isinstance(stmt, ast.If):
                self.env = env
                try:
                    test = self.condition(stmt.test)
                except (ParseError, InputError):
                    test = None
                if isinstance(test, Static):
                    self._init_body(stmt.body if test.value else stmt.orelse, env, instance)
                else:
                    for name in _self_stored(stmt):
                        instance.attributes[name] = Broken(self.fail(
                            stmt, f"self.{name} is set under the condition "
                                  f"{self.piece(stmt.test)!r}, which diffcheck cannot decide"))
                continue
            targets: list[ast.expr] = []
            value: ast.expr | None = None
            if isinstance(stmt, ast.Assign):
                targets, value = stmt.targets, stmt.value
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                targets, value = [stmt.target], stmt.value
            if value is None:
                continue  # super().__init__(...), registrations: no values of f
            read = self._lazy(value, env)
            for target in targets:
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                        and env.get(target.value.id) is instance:
                    instance.attributes[target.attr] = read
                elif isinstance(target, ast.Name):
                    env[target.id] = read
                elif isinstance(target, ast.Tuple) and isinstance(read, tuple) and len(
                        read) == len(target.elts):
                    for part, item in zip(target.elts, read, strict=True):
                        if isinstance(part, ast.Attribute):
                            instance.attributes[part.attr] = item
                        elif isinstance(part, ast.Name):
                            env[part.id] = item

    def _lazy(self, node: ast.expr, env: dict[str, Value]) -> Value:
        """The value of ``node``, or a :class:`Broken` that raises only where it is used."""
        saved = self.env
        self.env = env
        try:
            return self.value(node)
        except (FunctionError, ParseError) as exc:
            error = exc if isinstance(exc, FunctionError) else self.fail(node, str(exc))
            return Broken(error)
        except InputError as exc:
            return Broken(self.fail(node, str(exc)))
        finally:
            self.env = saved

    # --- parameters ------------------------------------------------------------------------

    def _variable(self, node: ast.FunctionDef, params: list[tuple[ast.arg, ast.expr | None]],
                  var: str | None) -> sympy.Symbol:
        star = node.args.vararg or node.args.kwarg
        if star is not None and not params:
            raise self.fail(star, "*args and **kwargs are not supported; name each parameter")
        if not params:
            raise FunctionError(self.path, None, None, "", "the function has no parameter; "
                                "its first parameter is the variable")
        names = [arg.arg for arg, _ in params]
        if var is None and names[0] == "ctx" and len(names) > 1:
            names = names[1:]  # torch.autograd.Function.forward(ctx, x)
        chosen = names[0] if var is None else var
        if chosen not in names:
            raise FunctionError(self.path, None, None, "", f"--var {chosen!r} is not a "
                                f"parameter of the function (parameters: {', '.join(names)})")
        return sympy.Symbol(chosen, real=True)

    def _bind_defaults(self, node: ast.FunctionDef, params: list[tuple[ast.arg, ast.expr | None]],
                       x: sympy.Symbol | None, given: Mapping[str, Value]) -> dict[str, Value]:
        """The parameters' values: given ones, options, defaults, else real symbols."""
        env: dict[str, Value] = {}
        for arg, default in params:
            name = arg.arg
            if x is not None and name == x.name:
                env[name] = x
            elif name in given:
                env[name] = given[name]
            elif self.depth == 0 and name in self.options:
                self.used_options.add(name)
                env[name] = self._option(name, self.options[name])
            elif default is None:
                env[name] = sympy.Symbol(name, real=True)
            else:
                value = self._lazy(default, {})
                if isinstance(value, Static):
                    value = Static(value.value, f"parameter {name}", default=True)
                elif isinstance(value, sympy.Basic) and value.free_symbols:
                    value = Broken(self.fail(default, "a default must be a number such as "
                                                      "1.0 or 1/3"))
                env[name] = value
        return env

    def _option(self, name: str, text: str) -> Value:
        words = {"True": True, "False": False, "None": None}
        if text.strip() in words:
            return Static(words[text.strip()], f"option {name}")
        try:
            return parsing.parse_point(text)
        except InputError:
            return Static(text.strip().strip("'\""), f"option {name}")

    # --- bodies ------------------------------------------------------------------------------

    def _run(self, node: ast.FunctionDef, env: dict[str, Value]) -> Value:
        """The value ``node``'s body returns from ``env``."""
        saved = self.env
        try:
            result = self._block(node.body, env, node)
        finally:
            self.env = saved
        if isinstance(result, Raises):
            raise self.fail(node, "every path through the function raises an exception")
        return result

    def call_function(self, function: Function, node: ast.Call, args: list[Value],
                      kwargs: dict[str, Value], instance: Instance | None) -> Value:
        """Inline a call of the file's own function (or a method, with ``self``)."""
        target = function.node
        if self.depth >= MAX_INLINE:
            raise self.fail(node, f"calls nested more than {MAX_INLINE} deep (recursion?); "
                                  "write the expression")
        self._decorators(target)
        params = _parameters(target)
        static = any(isinstance(d, ast.Name) and d.id == "staticmethod"
                     for d in target.decorator_list)
        if function.owner is not None and not static:
            params = params[1:]
        names = [a.arg for a, _ in params]
        if len(args) > len(names):
            raise self.fail(node, f"{target.name}() takes {len(names)} arguments, not "
                                  f"{len(args)}")
        given = dict(zip(names, args, strict=False))
        for key, value in kwargs.items():
            if key not in names:
                if key in ("inplace", "name"):
                    continue
                raise self.fail(node, f"{target.name}() has no parameter {key!r}")
            given[key] = value
        caller = dict(self.env)
        self.depth += 1
        try:
            # a nested helper sees its enclosing function's names as they are when it is
            # called (Python's late binding), the module's own functions see none
            outer = {**function.closure, **caller} if function.closure is not None else {}
            env = {**outer, **self._bind_defaults(target, params, None, given)}
            if function.owner is not None and not static:
                env[_parameters(target)[0][0].arg] = instance if instance is not None else \
                    Broken(self.fail(node, "a method called without its object"))
            return self._run(target, env)
        finally:
            self.depth -= 1

    def _block(self, body: list[ast.stmt], env: dict[str, Value], owner: ast.AST) -> Result:
        """The value returned by running ``body`` from ``env`` (every path must return)."""
        for i, stmt in enumerate(body):
            self.env = env
            if isinstance(stmt, ast.Pass) or (isinstance(stmt, ast.Expr) and isinstance(
                    stmt.value, ast.Constant) and isinstance(stmt.value.value, str)):
                continue  # docstrings and string comments
            if isinstance(stmt, ast.Return):
                if stmt.value is None:
                    return self._filled(stmt, env, "return a value")
                return self.value(stmt.value)
            if isinstance(stmt, ast.Raise):
                return RAISES
            if isinstance(stmt, ast.Assert):
                self.note(stmt, "assert left out (it checks the input)")
                continue
            if isinstance(stmt, ast.If):
                return self._if(stmt, body[i + 1:], env)
            if isinstance(stmt, ast.With):
                return self._block([*stmt.body, *body[i + 1:]], env, stmt)
            if isinstance(stmt, ast.Try) and not stmt.orelse and not stmt.finalbody and all(
                    all(isinstance(h, ast.Pass) for h in handler.body)
                    for handler in stmt.handlers):
                self.note(stmt, "try: the body is read (its except clauses only pass)")
                return self._block([*stmt.body, *body[i + 1:]], env, stmt)
            if isinstance(stmt, ast.FunctionDef):  # a nested helper, seeing the names so far
                self.functions = {**self.functions, stmt.name: stmt}
                env = {k: v for k, v in env.items() if k != stmt.name}
                self.closures = {**self.closures, stmt.name: env}
                continue
            if isinstance(stmt, ast.Import | ast.ImportFrom):
                if all(_known_import(stmt, a.name) for a in stmt.names):
                    continue
                raise self.fail(stmt, "imports inside the function are read only for known "
                                      "libraries; import at the top of the file")
            if isinstance(stmt, ast.Expr):
                env = self._expression_statement(stmt, env)
                continue
            if isinstance(stmt, ast.Assign | ast.AnnAssign | ast.AugAssign):
                env = self._assign(stmt, env)
                continue
            raise self.fail(stmt, _STATEMENTS.get(type(stmt), f"{type(stmt).__name__} "
                                                              "statements are not supported"))
        if not body and isinstance(owner, ast.If):
            raise self.fail(owner, "when this if's condition is false, the function ends "
                                   "without returning a value; add an else, or a return "
                                   "after the if")
        if any(key.endswith("[0]") for key in env):
            return self._filled(owner, env, "")
        raise self.fail(body[-1] if body else owner, "the function can end here without "
                                                     "returning a value; every path must end "
                                                     "in return")

    def _filled(self, node: ast.AST, env: dict[str, Value], refusal: str) -> Value:
        """A function that returns nothing: its value is row 0 of the output it filled."""
        rows = [key for key in env if key.endswith("[0]")]
        if not rows:
            raise self.fail(node, refusal)
        self.note(None, f"the function returns nothing; its value is {rows[0]}, the row "
                        "of the output it fills")
        return env[rows[0]]

    def _if(self, stmt: ast.If, rest: list[ast.stmt], env: dict[str, Value]) -> Result:
        test = self.condition(stmt.test)
        if isinstance(test, Static):
            self._note_options(stmt.test)
            return self._block([*(stmt.body if test.value else stmt.orelse), *rest],
                               dict(env), stmt)
        self.paths += 1
        if self.paths > MAX_PATHS:
            raise self.fail(stmt, f"more than {MAX_PATHS} paths through the if statements; "
                                  "split the function")
        if isinstance(test, Unknowable):
            ways = []
            for body in (stmt.body, stmt.orelse):
                try:
                    ways.append(self._block([*body, *rest], dict(env), stmt))
                except FunctionError as exc:
                    ways.append(exc)
            then, otherwise = ways
            if isinstance(then, FunctionError) and isinstance(otherwise, FunctionError):
                raise otherwise
            if isinstance(then, FunctionError) or isinstance(otherwise, FunctionError):
                self.note(stmt, f"the test {self.piece(stmt.test)!r} checks the input's type "
                                "or shape; the way diffcheck can read is taken")
                kept = otherwise if isinstance(then, FunctionError) else then
                assert not isinstance(kept, FunctionError)
                return kept
            if isinstance(then, Raises) or isinstance(otherwise, Raises):
                self.note(stmt, f"the test {self.piece(stmt.test)!r} checks the input's type "
                                "or shape; the path that raises is left out")
                return otherwise if isinstance(then, Raises) else then
            return self._either(stmt, then, otherwise)
        then = self._block([*stmt.body, *rest], dict(env), stmt)
        otherwise = self._block([*stmt.orelse, *rest], dict(env), stmt)
        if isinstance(then, Raises) and isinstance(otherwise, Raises):
            return RAISES
        if not isinstance(then, Raises) and then == otherwise:
            return then  # both ways give the same value
        if isinstance(then, Raises) or isinstance(otherwise, Raises):
            kept, where = (otherwise, sympy.Not(test)) if isinstance(then, Raises) else (
                then, test)
            self.note(stmt, f"where the path raises, f is undefined ({self.piece(stmt.test)!r} "
                            f"{'holds' if isinstance(then, Raises) else 'fails'})")
            return sympy.Piecewise((self.number(stmt, kept), where))
        return sympy.piecewise_fold(sympy.Piecewise((self.number(stmt, then), test),
                                                    (self.number(stmt, otherwise), True)))

    def _expression_statement(self, stmt: ast.Expr, env: dict[str, Value]) -> dict[str, Value]:
        call = stmt.value
        if not isinstance(call, ast.Call):
            raise self.fail(stmt, "a statement that only computes a value has no effect; "
                                  "return it or assign it")
        func = call.func
        last = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        owner = func.value if isinstance(func, ast.Attribute) else None
        if isinstance(owner, ast.Name | ast.Subscript) and last.endswith("_") and not \
                last.startswith("_") and self._in_place_target(owner, env):
            return self._store(owner, self.value(call), env, stmt)
        module = (_module_path(owner) or "") if owner is not None else ""
        if isinstance(owner, ast.Name) and owner.id == "ctx":
            self.note(stmt, f"{self.piece(call)!r} left out (it saves for the backward pass)")
            return env
        if tables.VALIDATION.search(last) or last in ("super", "__init__") or (
                module.split(".")[-1] in ("warnings", "logging", "chex")):
            self.note(stmt, f"{self.piece(call)!r} left out (it validates or logs, and does "
                            "not change the value)")
            return env
        raise self.fail(stmt, "a call whose result is not used: if it only checks the input, "
                              "remove it (calls named check/assert/validate/warn are left "
                              "out); if it changes a tensor in place, assign its result "
                              "instead (y = y.clamp(min=0))")

    def _in_place_target(self, owner: ast.expr, env: dict[str, Value]) -> bool:
        root = owner.value if isinstance(owner, ast.Subscript) else owner
        return isinstance(root, ast.Name) and root.id in env

    def _assign(self, stmt: ast.Assign | ast.AnnAssign | ast.AugAssign,
                env: dict[str, Value]) -> dict[str, Value]:
        if isinstance(stmt, ast.AugAssign):
            if type(stmt.op) not in _AUGMENTED:
                raise self.fail(stmt, "only += -= *= /= and **= are supported")
            current = self._current(stmt.target, env, stmt)
            value = self._apply(stmt.value, "augmented assignment", _AUGMENTED[type(stmt.op)],
                                self.number(stmt.target, current), self.expr(stmt.value))
            return self._store(stmt.target, value, env, stmt)
        if isinstance(stmt, ast.AnnAssign):
            if stmt.value is None:
                return env
            return self._store(stmt.target, self.value(stmt.value), env, stmt)
        node = stmt.value
        target = stmt.targets[0]
        if len(stmt.targets) == 1 and isinstance(target, ast.Subscript):
            index = _row(target)[1]
            if not _whole(index) and any(isinstance(p, ast.Slice) for p in ast.walk(index)):
                raise self.fail(stmt, f"{self.piece(target)!r} writes elements picked by "
                                      "position; only a mask (y[x < 0] = ...) or the whole "
                                      "array (y[...] = ...) can be read")
            node = _Selected(index).visit(_copy(node))  # y[m] = v[m]
            if not _whole(index):
                # where m holds, a selection z[m] made earlier is z itself
                masks = _spellings(self.cond(index))
                self.env = {k: _unselected(v, masks) for k, v in env.items()}
        value = self.value(node)
        self.env = env
        for target in stmt.targets:
            env = self._store(target, value, env, stmt)
        return env

    def _current(self, target: ast.expr, env: dict[str, Value], stmt: ast.stmt) -> Value:
        root = target.value if isinstance(target, ast.Subscript) else target
        if isinstance(root, ast.Name):
            if root.id not in env:
                raise self.fail(stmt, f"{root.id!r} is used before it is assigned")
            return env[root.id]
        raise self.fail(stmt, "only names and name[mask] can be updated")

    def _store(self, target: ast.expr, value: Value, env: dict[str, Value],
               stmt: ast.stmt) -> dict[str, Value]:
        if isinstance(target, ast.Name):
            return {**env, target.id: value}
        if isinstance(target, ast.Tuple | ast.List):
            if not isinstance(value, tuple):
                if len(target.elts) == 1:
                    return self._store(target.elts[0], value, env, stmt)
                raise self.fail(stmt, "unpacking needs a tuple of values on the right")
            if len(value) != len(target.elts):
                raise self.fail(stmt, f"{len(target.elts)} names for {len(value)} values")
            for part, item in zip(target.elts, value, strict=True):
                env = self._store(part, item, env, stmt)
            return env
        row, index = _row(target)
        if row is not None and isinstance(target, ast.Subscript) and isinstance(
                target.value, ast.Name):
            holder = env.get(target.value.id)
            if not (isinstance(holder, sympy.Symbol) and holder.name == target.value.id):
                raise self.fail(stmt, f"{self.piece(target)!r} writes one element of an "
                                      "array; diffcheck reads a function of one element "
                                      "(an output parameter's row, as in rho[0] = ..., is "
                                      "read)")
            # out[k, mask] = v: row k of an output array the function fills (SciPy's rho)
            key = f"{target.value.id}[{row}]"
            self.env = env
            new = self.number(stmt, value)
            if _whole(index):
                return {**env, key: new}
            mask = self.cond(index)
            masks = _spellings(mask)
            if new.has(sympy.Piecewise):
                new = new.replace(lambda e: _unselected(e, masks) is not e,
                                  lambda e: _unselected(e, masks))
            old = env.get(key)
            filled = sympy.Piecewise((new, mask)) if old is None else catalog.where(
                mask, new, self.number(stmt, old))
            return {**env, key: filled}
        if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            name = target.value.id
            self.env = env
            old = self.number(target.value, self._current(target, env, stmt))
            index = target.slice
            new = self.number(stmt, value)
            if _whole(index):
                return {**env, name: new}
            if any(isinstance(part, ast.Slice) for part in ast.walk(index)):
                raise self.fail(stmt, f"{self.piece(target)!r} writes elements picked by "
                                      "position; only a mask (y[x < 0] = ...) or the whole "
                                      "array (y[...] = ...) can be read")
            mask = self.cond(index)
            if not isinstance(self.condition(index), Boolean) or isinstance(
                    self.condition(index), sympy.Expr):
                raise self.fail(stmt, f"{self.piece(target)!r} writes elements picked by "
                                      "position; only a mask (y[x < 0] = ...) or the whole "
                                      "array (y[...] = ...) can be read")
            # v[m] = f(z[m]): where m holds, each selected z[m] is z itself
            masks = _spellings(mask)
            if new.has(sympy.Piecewise):
                new = new.replace(lambda e: _unselected(e, masks) is not e,
                                  lambda e: _unselected(e, masks))
            return {**env, name: catalog.where(mask, new, old)}
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and \
                isinstance(env.get(target.value.id), sympy.Basic):
            self.note(stmt, f"{self.piece(target)!r} = ... sets an attribute of a tensor "
                            "(no value of f); left out")
            return env
        if isinstance(target, ast.Attribute):
            raise self.fail(stmt, "assigning to an attribute is read only in __init__ "
                                  "(self.name = value)")
        raise self.fail(stmt, "only assignments to names, tuples of names and name[mask] "
                              "are supported")

    # --- decorators --------------------------------------------------------------------------

    def _decorators(self, node: ast.FunctionDef) -> None:
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            path = _module_path(target) or ""
            last = path.rpartition(".")[2]
            if last == "partial" and isinstance(decorator, ast.Call) and decorator.args:
                path = _module_path(decorator.args[0]) or ""
                last = path.rpartition(".")[2]
            if not tables.harmless_decorator(last):
                raise self.fail(decorator, "this decorator may change what the function "
                                           "computes; remove it to analyse the plain "
                                           "function (decorators such as jit, custom_jvp, "
                                           "tf.function, no_grad and export/register ones "
                                           "are read as the identity)")
            if last not in ("staticmethod", "property"):
                self.note(decorator, f"@{path} keeps the function's values; read as the "
                                     "identity")


# --- module helpers ---------------------------------------------------------------------------


def _row(target: ast.expr) -> tuple[int | None, ast.expr]:
    """``out[k, mask]``: (k, mask); any other subscript: (None, its index)."""
    index = target.slice if isinstance(target, ast.Subscript) else target
    if isinstance(index, ast.Constant) and isinstance(index.value, int) and not isinstance(
            index.value, bool):
        return index.value, ast.copy_location(ast.Constant(Ellipsis), index)
    if isinstance(index, ast.Tuple) and len(index.elts) == 2 and isinstance(
            index.elts[0], ast.Constant) and isinstance(index.elts[0].value, int) and not \
            isinstance(index.elts[0].value, bool):
        return index.elts[0].value, index.elts[1]
    return None, index


def _spellings(mask: sympy.Basic) -> tuple[sympy.Basic, ...]:
    """``mask`` and the form a Piecewise gives it (Piecewise rewrites its conditions)."""
    probe = sympy.Piecewise((sympy.Dummy(), mask), (0, True))
    return (mask, probe.args[0][1]) if isinstance(probe, sympy.Piecewise) else (mask,)


def _unselected(value: Value, masks: tuple[sympy.Basic, ...]) -> Value:
    """``z`` for the selection ``Piecewise((z, mask), (0, True))`` of the same mask."""
    if isinstance(value, sympy.Piecewise) and len(value.args) == 2 and \
            value.args[0][1] in masks and value.args[1] == (0, True):
        return value.args[0][0]
    return value


def _mask(expr: sympy.Basic) -> bool:
    """Whether ``expr`` is a 0/1 mask, ``Piecewise((1, c), (0, True))``."""
    return isinstance(expr, sympy.Piecewise) and len(expr.args) == 2 and \
        expr.args[0][0] == 1 and expr.args[1] == (0, True)


def _parameters(node: ast.FunctionDef) -> list[tuple[ast.arg, ast.expr | None]]:
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults += args.defaults
    return [*zip(positional, defaults, strict=True),
            *zip(args.kwonlyargs, args.kw_defaults, strict=True)]


def _aliases(module: ast.Module) -> dict[str, ast.expr]:
    """Names bound by the module's imports, as the dotted names they stand for."""
    aliases: dict[str, ast.expr] = {}
    for node in module.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    aliases[alias.asname] = _dotted(catalog.canonical_module(alias.name))
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if alias.name != "*":
                    full = catalog.canonical_module(f"{node.module}.{alias.name}")
                    aliases[alias.asname or alias.name] = _dotted(full)
    return {k: v for k, v in aliases.items() if ast.unparse(v) != k}


def _known_import(stmt: ast.Import | ast.ImportFrom, name: str) -> bool:
    module = stmt.module if isinstance(stmt, ast.ImportFrom) else name
    return (module or "").split(".")[0] in tables.ROOTS


def _dotted(name: str) -> ast.expr:
    return ast.parse(name, mode="eval").body


def _copy(node: ast.expr) -> ast.expr:
    copy = ast.parse(ast.unparse(node), mode="eval").body
    for new, old in zip(ast.walk(copy), ast.walk(node), strict=False):
        ast.copy_location(new, old)
        setattr(new, "end_lineno", getattr(old, "end_lineno", None))  # noqa: B010
        setattr(new, "end_col_offset", getattr(old, "end_col_offset", None))  # noqa: B010
    return copy


class _Selected(ast.NodeTransformer):
    """``v[m]`` on the right of ``y[m] = ...``: each selected element is ``v``'s."""

    def __init__(self, index: ast.expr) -> None:
        self.index = ast.dump(index)

    def visit_Subscript(self, node: ast.Subscript) -> ast.expr:
        if ast.dump(node.slice) == self.index:
            return self.visit(node.value)  # type: ignore[no-any-return]
        return self.generic_visit(node)  # type: ignore[return-value]


class _Imports(ast.NodeTransformer):
    """Rewrite imported names to the dotted names the parser knows (``xp.exp`` -> ``numpy.exp``)."""

    def __init__(self, aliases: Mapping[str, ast.expr]) -> None:
        self.aliases = aliases

    def visit_Name(self, node: ast.Name) -> ast.expr:
        if node.id in self.aliases and isinstance(node.ctx, ast.Load):
            copy = ast.parse(ast.unparse(self.aliases[node.id]), mode="eval").body
            for part in ast.walk(copy):  # errors point at the name the user wrote
                ast.copy_location(part, node)
                setattr(part, "end_lineno", node.end_lineno)  # noqa: B010
                setattr(part, "end_col_offset", node.end_col_offset)  # noqa: B010
            return copy
        return node


def _stored(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)
            and isinstance(n.ctx, ast.Store)}


def _self_stored(node: ast.AST) -> set[str]:
    return {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)
            and isinstance(n.ctx, ast.Store)}


def _simple_assignment(node: ast.stmt) -> tuple[str | None, ast.expr | None]:
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
            node.targets[0], ast.Name):
        return node.targets[0].id, node.value
    if isinstance(node, ast.AnnAssign) and isinstance(
            node.target, ast.Name) and node.value is not None:
        return node.target.id, node.value
    return None, None


__all__ = ["MAX_FILE", "Reader", "S"]
