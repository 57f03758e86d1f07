"""A small Python function -> one exact SymPy expression, read from its source, never run.

``diffcheck --function losses.py:huber`` reads ``losses.py`` as text, finds ``def huber``
in its syntax tree and translates the body with the expression parser's own whitelist
(:mod:`diffcheck.language.parsing`: numbers exact, names, operators, calls of the functions the
catalog knows, ``a if c else b``), plus a few statements:

* ``return value``;
* ``name = value`` (also ``name: float = value`` and ``name += value``): later uses of
  ``name`` stand for ``value``;
* ``if``/``elif``/``else`` on conditions: the value returned is a ``Piecewise`` whose
  pieces are the values each path returns (the rest of the body after the ``if`` is
  translated once on each path, so assignments inside a branch are seen after it);
* ``pass`` and a docstring.

The first parameter (or ``var``) is the variable. A parameter with a numeric default is
that constant (``delta=1.0`` is exactly 1); one without a default is a real parameter.
Module-level ``NAME = number`` assignments are constants, and the module's imports only
rename prefixes (``import numpy as xp`` makes ``xp.maximum`` mean ``np.maximum``, and
``from torch.nn import functional as fn`` makes ``fn.relu`` mean ``F.relu``). Nothing
else is allowed: anything outside the subset is a :class:`FunctionError` naming the
file, the line and what to change.

XXX: powers follow diffcheck's real-root convention, so ``x ** (1/3)`` is the real cube
root on the whole line, where Python, NumPy and PyTorch give a complex number or
``nan`` for negative x.
"""

from __future__ import annotations

import ast
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import sympy

from diffcheck.budget import BudgetExceeded, budget
from diffcheck.errors import InputError, ParseError
from diffcheck.language import names as catalog
from diffcheck.language import parsing

__all__ = ["FunctionError", "function_expression", "load_function"]

MAX_FILE = 1_000_000  #: characters of a source file
MAX_PATHS = 64  #: paths through the if statements of one function
_PIECE = 60

#: Decorators that do not change the values a function computes.
HARMLESS_DECORATORS = frozenset((
    "jit", "jax.jit", "torch.jit.script", "torch.compile", "staticmethod", "functools.cache",
    "functools.lru_cache", "cache", "lru_cache", "numba.njit", "njit",
))


class FunctionError(ParseError):
    """A function outside the translatable subset, or a file that cannot be read.

    Attributes:
        path: the file; ``line`` and ``column`` (1-based, ``None`` when not known) say
            where the offending piece is; ``text`` is that piece; ``reason`` what to change.
    """

    def __init__(self, path: str, line: int | None, column: int | None, text: str,
                 reason: str) -> None:
        self.path, self.line = path, line
        self.text, self.column, self.reason = text, column, reason
        where = f"{path}, line {line}" if line is not None else path
        shown = f" ({text!r})" if text and text not in reason else ""
        InputError.__init__(self, f"{where}: {reason}{shown}")


def load_function(spec: str) -> tuple[str, str, str]:
    """Read ``"path/to/file.py:name"``: the file's text, the path and the function name.

    Raises:
        FunctionError: no ``:name``, a file that cannot be read, or one too large.
    """
    path, colon, name = spec.rpartition(":")
    if not colon or not path or not name.isidentifier():
        raise FunctionError(spec, None, None, "", "expected FILE.py:NAME, such as "
                            "losses.py:huber (the file, a colon, the function's name)")
    try:
        size = os.path.getsize(path)
        if size > MAX_FILE:
            raise FunctionError(path, None, None, "", f"the file is {size:,} bytes; the "
                                f"limit is {MAX_FILE:,}")
        source = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise FunctionError(path, None, None, "", f"cannot read the file: {reason}") from None
    return source, path, name


def function_expression(source: str, name: str, *, path: str = "<source>",
                        var: str | None = None) -> tuple[sympy.Expr, sympy.Symbol]:
    """Translate the function ``name`` defined in ``source`` into an exact expression.

    Args:
        source: Python source text; it is parsed, never executed.
        name: a function defined at the top level of ``source``.
        path: the file name shown in errors.
        var: the parameter that is the variable (default: the first one).

    Returns:
        The expression and its variable (a real symbol).

    Raises:
        FunctionError: the function is missing or outside the subset.

    Examples:
        >>> src = '''
        ... def huber(r, delta=1.0):
        ...     if abs(r) <= delta:
        ...         return 0.5 * r**2
        ...     return delta * (abs(r) - 0.5 * delta)
        ... '''
        >>> function_expression(src, "huber")
        (Piecewise((r**2/2, Abs(r) <= 1), (Abs(r) - 1/2, True)), r)
        >>> function_expression("def f(x):\\n    return torch.where(x > 0, x, 0.01 * x)", "f")
        (Piecewise((x, x > 0), (x/100, True)), x)
    """
    translator = _Translator(source, path)
    return translator.function(name, var)


# --- the translation ------------------------------------------------------------------------


class _Expressions(parsing._Parser):
    """The expression parser on nodes of a file: names may be locals, errors name lines."""

    def __init__(self, source: str, path: str, aliases: Mapping[str, ast.expr]) -> None:
        # parsing._Parser.__init__ prepares a one-line text; here the nodes come from a
        # whole file, so only what its methods read is set.
        self.text = source
        self.source, self.path, self.aliases = source, path, aliases
        self.built = []
        self.env: dict[str, sympy.Expr] = {}
        self.globals: dict[str, sympy.Expr] = {}
        self.defined: set[str] = set()  # names the module binds other than by import

    def fail(self, node: ast.AST, reason: str) -> FunctionError:
        line = getattr(node, "lineno", None)
        column = getattr(node, "col_offset", None)
        return FunctionError(self.path, line, None if column is None else column + 1,
                             self.piece(node), reason)

    def piece(self, node: ast.AST) -> str:
        text = " ".join((ast.get_source_segment(self.source, node) or "").split())
        return text if len(text) <= _PIECE else text[:_PIECE - 3] + "..."

    def _constant(self, node: ast.Constant) -> sympy.Expr:
        # the parser reads a literal's digits from its one-line text; here from the file
        if isinstance(node.value, int | float) and not isinstance(node.value, bool):
            try:
                return parsing._decimal(ast.get_source_segment(self.source, node) or "")
            except InputError as exc:
                raise self.fail(node, str(exc)) from None
        return super()._constant(node)

    def _function(self, func: ast.expr) -> tuple[str, catalog.Fn]:
        # a name the file itself defines or assigns is not the catalog's function of that name
        if isinstance(func, ast.Name) and (func.id in self.env or func.id in self.defined):
            raise self.fail(func, f"{func.id!r} is defined in this file, not a function "
                                  "diffcheck knows; calls of the file's own functions are not "
                                  "supported: write its expression here")
        return super()._function(func)

    def _dotted(self, node: ast.Attribute) -> tuple[str, catalog.Space, str]:
        root: ast.expr = node
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(root, ast.Name) and (root.id in self.env or root.id in self.defined):
            raise self.fail(node, f"{root.id!r} is assigned in this file, so "
                                  f"{self.piece(node)!r} may not be the library's; import "
                                  "the module under that name instead")
        return super()._dotted(node)

    def _name(self, node: ast.Name) -> sympy.Expr:
        if node.id in self.env:
            return self.env[node.id]
        if node.id in self.globals:
            return self.globals[node.id]
        if node.id in self.aliases:  # imported function used as a value
            raise self.fail(node, f"{node.id!r} is a function; call it, as in {node.id}(x)")
        if node.id not in catalog.CONSTANTS and (
                node.id not in catalog.BARE and node.id not in catalog.NOT_REAL):
            raise self.fail(node, f"{node.id!r} is not a parameter, a local variable or a "
                                  "module-level number; make it a parameter (with a default "
                                  "for a constant) or assign it in the function")
        return super()._name(node)


class _Imports(ast.NodeTransformer):
    """Rewrite imported names to the dotted names the parser knows (``xp.exp`` -> ``numpy.exp``)."""

    def __init__(self, aliases: Mapping[str, ast.expr]) -> None:
        self.aliases = aliases

    def visit_Name(self, node: ast.Name) -> ast.expr:
        if node.id in self.aliases:
            copy = ast.parse(ast.unparse(self.aliases[node.id]), mode="eval").body
            for part in ast.walk(copy):  # errors point at the name the user wrote
                ast.copy_location(part, node)
            return copy
        return node


def _dotted(name: str) -> ast.expr:
    """``"torch.nn.functional"`` as the attribute chain Python would parse."""
    return ast.parse(name, mode="eval").body


class _Translator:
    """One file: its module-level constants and imports, and one function's translation."""

    def __init__(self, source: str, path: str) -> None:
        self.source, self.path = source, path
        if len(source) > MAX_FILE:
            raise FunctionError(path, None, None, "", f"the file is {len(source):,} characters "
                                f"long; the limit is {MAX_FILE:,}")
        try:
            self.module = ast.parse(source, filename=path)
        except SyntaxError as exc:
            raise FunctionError(path, exc.lineno, exc.offset, (exc.text or "").strip(),
                                f"not valid Python: {exc.msg}") from None
        except (ValueError, RecursionError, MemoryError) as exc:
            raise FunctionError(path, None, None, "", f"not valid Python: {exc}") from None
        self.aliases = self._aliases()
        self.parser = _Expressions(source, path, self.aliases)
        self.paths = 0

    def _aliases(self) -> dict[str, ast.expr]:
        """Names bound by the module's imports, as the dotted names they stand for."""
        aliases: dict[str, ast.expr] = {}
        for node in self.module.body:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        aliases[alias.asname] = _dotted(alias.name)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    if alias.name != "*":
                        aliases[alias.asname or alias.name] = _dotted(
                            f"{node.module}.{alias.name}")
        # an alias that is a known prefix or name already needs no rewriting
        return {k: v for k, v in aliases.items() if ast.unparse(v) != k}

    def function(self, name: str, var: str | None) -> tuple[sympy.Expr, sympy.Symbol]:
        found = [n for n in self.module.body
                 if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == name]
        if not found:
            defined = [n.name for n in self.module.body if isinstance(n, ast.FunctionDef)]
            listed = ", ".join(defined) or "none"
            raise FunctionError(self.path, None, None, "", f"no function {name!r} at the top "
                                f"level of the file (functions defined there: {listed})")
        node = _Imports(self.aliases).visit(found[-1])  # the last definition wins, as in Python
        if isinstance(node, ast.AsyncFunctionDef):
            raise self.parser.fail(node, "async functions are not supported")
        if sum(1 for _ in ast.walk(node)) > parsing.MAX_NODES:
            raise self.parser.fail(node, f"the function has more than {parsing.MAX_NODES:,} "
                                         "parts")
        start = time.monotonic()
        try:
            with budget(parsing.MAX_SECONDS):
                self._module_constants()
                x = self._parameters(node.args, var)
                value = self._block(node.body, dict(self.parser.env), node)
        except RecursionError:
            raise self.parser.fail(node, "nested too deeply to translate") from None
        except BudgetExceeded:
            if time.monotonic() - start < parsing.MAX_SECONDS:
                raise
            raise self.parser.fail(node, f"SymPy took more than {parsing.MAX_SECONDS:g} "
                                         "seconds to build this function") from None
        for decorator in node.decorator_list:
            self._decorator(decorator)
        return parsing.to_real(value), x

    def _decorator(self, node: ast.expr) -> None:
        target = node.func if isinstance(node, ast.Call) else node
        if ast.unparse(target) not in HARMLESS_DECORATORS:
            raise self.parser.fail(node, "this decorator may change what the function "
                                         "computes; remove it to analyse the plain function "
                                         f"(allowed: {', '.join(sorted(HARMLESS_DECORATORS))})")

    def _module_constants(self) -> None:
        """Top-level ``NAME = number`` (also ``NAME: float = number``) are constants.

        A name also assigned anywhere else (inside an ``if`` or loop at the top level,
        or through ``global`` in a function) may hold another value when the function
        runs, so it is not one.
        """
        changing: set[str] = set()
        for node in self.module.body:
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.Import
                          | ast.ImportFrom | ast.ClassDef):
                if isinstance(node, ast.AugAssign | ast.Assign) and not _simple_assignment(
                        node)[0]:
                    changing |= _stored(node)
                continue
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                changing |= {name for n in ast.walk(node) if isinstance(n, ast.Global)
                             for name in n.names}
            else:
                changing |= _stored(node)
        for node in self.module.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                self.parser.defined.add(node.name)
            elif not isinstance(node, ast.Import | ast.ImportFrom):
                self.parser.defined |= _stored(node)
        for node in self.module.body:
            target, value = _simple_assignment(node)
            if target is None or value is None or target in changing:
                continue
            if isinstance(node, ast.AugAssign):
                self.parser.globals.pop(target, None)  # NAME += ...: not tracked
                continue
            try:
                number = self.parser.expr(value)
            except ParseError:
                continue  # not a number: an error only if the function uses the name
            if not number.free_symbols:
                self.parser.globals[target] = number

    def _parameters(self, args: ast.arguments, var: str | None) -> sympy.Symbol:
        star = args.vararg or args.kwarg
        if star is not None:
            raise self.parser.fail(star, "*args and **kwargs are not supported; name each "
                                         "parameter")
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
        defaults += args.defaults
        params = [*zip(positional, defaults, strict=True),
                  *zip(args.kwonlyargs, args.kw_defaults, strict=True)]
        if not params:
            raise FunctionError(self.path, None, None, "", "the function has no parameter; "
                                "its first parameter is the variable")
        names = [arg.arg for arg, _ in params]
        chosen = names[0] if var is None else var
        if chosen not in names:
            raise FunctionError(self.path, None, None, "", f"--var {chosen!r} is not a "
                                f"parameter of the function (parameters: {', '.join(names)})")
        for arg, default in params:
            if arg.arg == chosen or default is None:
                self.parser.env[arg.arg] = sympy.Symbol(arg.arg, real=True)
            else:
                value = self.parser.expr(default)
                if value.free_symbols:
                    raise self.parser.fail(default, "a default must be a number such as 1.0 "
                                                    "or 1/3")
                self.parser.env[arg.arg] = value
        return sympy.Symbol(chosen, real=True)

    def _block(self, body: list[ast.stmt], env: dict[str, sympy.Expr],
               owner: ast.AST) -> sympy.Expr:
        """The value returned by running ``body`` from ``env`` (every path must return)."""
        for i, stmt in enumerate(body):
            self.parser.env = env
            if i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) \
                    and isinstance(stmt.value.value, str):
                continue  # a docstring
            if isinstance(stmt, ast.Pass):
                continue
            if isinstance(stmt, ast.Return):
                if stmt.value is None:
                    raise self.parser.fail(stmt, "return a value")
                return self.parser.expr(stmt.value)
            if isinstance(stmt, ast.If):
                self.paths += 1
                if self.paths > MAX_PATHS:
                    raise self.parser.fail(stmt, f"more than {MAX_PATHS} paths through the "
                                                 "if statements; split the function")
                condition = self.parser.cond(stmt.test)
                rest = body[i + 1:]
                then = self._block([*stmt.body, *rest], dict(env), stmt)
                otherwise = self._block([*stmt.orelse, *rest], dict(env), stmt)
                return sympy.piecewise_fold(sympy.Piecewise((then, condition),
                                                            (otherwise, True)))
            target, value = _simple_assignment(stmt)
            if target is not None and value is not None:
                env = {**env, target: self._assigned(stmt, value, env)}
                continue
            raise self.parser.fail(stmt, _refusal(stmt))
        if not body and isinstance(owner, ast.If):
            raise self.parser.fail(owner, "when this if's condition is false, the function "
                                          "ends without returning a value; add an else, or a "
                                          "return after the if")
        raise self.parser.fail(body[-1] if body else owner, "the function can end here "
                                                            "without returning a value; every "
                                                            "path must end in return")

    def _assigned(self, stmt: ast.stmt, value: ast.expr,
                  env: dict[str, sympy.Expr]) -> sympy.Expr:
        if isinstance(stmt, ast.AugAssign):
            target = stmt.target
            assert isinstance(target, ast.Name)
            if target.id not in env:
                raise self.parser.fail(stmt, f"{target.id!r} is used before it is assigned")
            ops: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
                ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
                ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b,
                ast.Pow: catalog.power}
            if type(stmt.op) not in ops:
                raise self.parser.fail(stmt, "only += -= *= /= and **= are supported")
            return ops[type(stmt.op)](env[target.id], self.parser.expr(value))
        return self.parser.expr(value)


def _stored(node: ast.AST) -> set[str]:
    """The names ``node`` assigns to anywhere inside it."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)
            and isinstance(n.ctx, ast.Store)}


def _simple_assignment(node: ast.stmt) -> tuple[str | None, ast.expr | None]:
    """``name = value``, ``name: T = value`` or ``name op= value``: (name, value)."""
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
            node.targets[0], ast.Name):
        return node.targets[0].id, node.value
    if isinstance(node, ast.AnnAssign | ast.AugAssign) and isinstance(
            node.target, ast.Name) and node.value is not None:
        return node.target.id, node.value
    return None, None


_STATEMENTS: dict[type[ast.stmt], str] = {
    ast.For: "loops are not supported; write the expression for one value",
    ast.While: "loops are not supported; write the expression for one value",
    ast.Try: "try/except is not supported", ast.With: "'with' is not supported",
    ast.Raise: "raise is not supported: every path must return a value",
    ast.Assert: "assert is not supported; remove it",
    ast.Import: "imports inside the function are not supported; import at the top of the file",
    ast.ImportFrom: "imports inside the function are not supported; import at the top of the "
                    "file",
    ast.FunctionDef: "nested functions are not supported",
    ast.Global: "global is not supported", ast.Nonlocal: "nonlocal is not supported",
    ast.Delete: "del is not supported", ast.Match: "match is not supported; use if/elif/else",
}


def _refusal(stmt: ast.stmt) -> str:
    if isinstance(stmt, ast.Assign | ast.AnnAssign | ast.AugAssign):
        return ("only assignments to one plain name are supported (name = value); no "
                "tuples, attributes or indexing")
    if isinstance(stmt, ast.Expr):
        return "a statement that only computes a value has no effect; return it or assign it"
    return _STATEMENTS.get(type(stmt), f"{type(stmt).__name__} statements are not supported")

