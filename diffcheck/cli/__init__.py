"""The ``diffcheck`` command: the CLI package is the only place that imports click.

``diffcheck EXPR`` analyses an expression.  A first word naming a subcommand
(``SUBCOMMANDS``: each lives in its own module here and is imported only when
used) runs that instead; ``diffcheck -- WORD`` analyses an expression that
happens to be spelled like a subcommand.

Exit codes: 0 the analysis ran (whatever the verdicts, ``unknown`` included);
1 only with ``--fail-on-nondifferentiable``, when some point or candidate set
is certainly not differentiable; 2 bad input (one ``Error: ...`` line on
stderr); 130 interrupted.  stdout carries only the report.  The ``--json``
path never imports rich, so that it starts fast.
"""

from __future__ import annotations

import importlib
import shlex
import sys
from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING, Any

import click

from diffcheck._version import __version__
from diffcheck.errors import InputError
from diffcheck.render import text as _format

if TYPE_CHECKING:
    from diffcheck.model.report import Analysis

EXIT_NOT_DIFFERENTIABLE = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130

# Subcommand name -> "module:attribute" of its click command, imported on use.
SUBCOMMANDS: dict[str, str] = {
    "batch": "diffcheck.cli.batch:batch",
    "catalog": "diffcheck.cli.catalog:catalog",
    "net": "diffcheck.cli.net:net",
}

FORMATS = ("text", "json", "markdown", "latex")
"""The outputs of ``--format``; ``--json`` is ``--format json``."""

EXAMPLES = """\b
Examples:
  diffcheck "Max(0, x)"                    ReLU: a corner at 0
  diffcheck "Abs(x - 1)" --at 1 --at 2     also report the points 1 and 2
  diffcheck "floor(x)" --domain "[-2, 2]"  list floor's jumps inside [-2, 2]
  diffcheck "x**(1/3)" --json              one JSON object, for scripts
  diffcheck "Max(0, 1 - y*(w*x + b))" --vars w,b --set x=2 --set y=1 --at "w=1/2, b=0"
                                           several variables: gradients, generalized gradients
  diffcheck "Abs(x) + Abs(y)" --vars x,y --plot kinks.png
                                           the non-differentiable set, decided and drawn
  diffcheck "Max(0, 1 - y*(w*x + b))" --vars w,b --set x=2 --set y=1 --line "w=0, b=0; w=1, b=1"
                                           f on a segment between two parameter vectors
  diffcheck "|x - 2|"                      also f(x) = ..., |...| and LaTeX: "\\frac{\\sin x}{x}"
  diffcheck catalog                        the catalogue of activations and losses
  diffcheck batch FILE                     one expression a line, a JSON line each

\b
Exit codes:
  0    the analysis ran (whatever it found, "unknown" included)
  1    --fail-on-nondifferentiable, and f is not differentiable somewhere
  2    bad input: expression, point, domain or option
  130  interrupted
"""


class BadInput(click.ClickException):
    """Bad user input: one ``Error: ...`` line on stderr and exit code 2 (no usage block)."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str) -> None:
        # One line whatever the message holds: scripts read stderr line by line.
        super().__init__(" ".join(line.strip() for line in message.splitlines() if line.strip()))


class Interrupted(click.ClickException):
    """Ctrl-C during the analysis: one line on stderr and exit code 130."""

    exit_code = EXIT_INTERRUPTED

    def __init__(self) -> None:
        super().__init__("interrupted")


class _Command(click.Command):
    """The analyse command; dispatches subcommands; hints at ``--`` for expressions like ``-x``."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             windows_expand_args: bool = True, **extra: Any) -> Any:
        words = list(sys.argv[1:] if args is None else args)
        options: dict[str, Any] = {"complete_var": complete_var,
                                   "standalone_mode": standalone_mode,
                                   "windows_expand_args": windows_expand_args, **extra}
        if words and words[0] in SUBCOMMANDS:
            module, _, attribute = SUBCOMMANDS[words[0]].partition(":")
            command: click.Command = getattr(importlib.import_module(module), attribute)
            name = f"{prog_name or 'diffcheck'} {words[0]}"
            return command.main(words[1:], name, **options)
        return super().main(self._expression_last(words), prog_name, **options)

    def _expression_last(self, words: list[str]) -> list[str]:
        """``-Abs(x) --at 1`` as ``--at 1 -- -Abs(x)``: no option starts with a single '-'."""
        if "--" in words:
            return words
        valued = {name for param in self.params if isinstance(param, click.Option)
                  and not param.is_flag for name in param.opts}
        for i, word in enumerate(words):
            if (len(word) > 1 and word.startswith("-") and not word.startswith("--")
                    and (i == 0 or words[i - 1] not in valued)):
                return [*words[:i], *words[i + 1:], "--", word]
        return words

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        given = list(args)  # the parser consumes args
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as e:
            word = next((a for a in given if a.startswith(e.option_name)), e.option_name)
            if word.startswith("--"):
                raise
            hint = (f"No such option: {e.option_name}. To analyse {word!r}, put '--' before it: "
                    f"diffcheck -- {shlex.quote(word)}")
            raise click.NoSuchOption(e.option_name, hint, ctx=ctx) from None


@click.command(
    cls=_Command,
    epilog=EXAMPLES,
    context_settings={"max_content_width": 100},
)
@click.argument("expression", metavar="EXPR", required=False)
@click.option("--var", metavar="NAME", multiple=True,
              help="The variable, when EXPR has several free names (the others are real "
                   "parameters). Repeat it for several variables.")
@click.option("--vars", "var_list", metavar="NAMES",
              help="Several variables at once, e.g. w,b (a function of several variables).")
@click.option("--set", "settings", metavar="NAME=VALUE", multiple=True,
              help="Fix a parameter before the analysis, e.g. --set x=2. Repeatable.")
@click.option("--assume", "assume", metavar="RELATION", multiple=True,
              help='What holds for the parameters, e.g. "p > 0", "0 < t < 1", "a != 0", '
                   '"n integer". Repeatable.')
@click.option("--direction", "directions", metavar="VECTOR", multiple=True,
              help='Several variables: also the directional derivatives along this vector, '
                   'e.g. "1, 2". Repeatable.')
@click.option("--line", "segment", metavar="P0; P1",
              help='Several variables: also analyse f on the segment from P0 to P1, '
                   't -> f(P0 + t (P1 - P0)) on [0, 1], e.g. "w=0, b=0; w=1, b=2".')
@click.option("--at", "points", metavar="POINT", multiple=True,
              help="Also analyse this point, e.g. 0, pi/4 or sqrt(2). Repeatable.")
@click.option("--domain", metavar="INTERVAL",
              help='Report only points inside this interval, e.g. "[-10, 10]" '
                   "(default: the real line).")
@click.option("--order", type=int, default=1, show_default=True, metavar="K",
              help="Check derivatives up to this order: f', ..., f^(K) at every point (1-12).")
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object instead of the report.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default=None,
              help="Output: text (the report), json (as --json), markdown or latex (with the "
                   "derivation at every point).  [default: text]")
@click.option("--explain", is_flag=True,
              help="Show the derivation at every point: f(a), the branches, the limits, "
                   "the difference quotients and the conclusion.")
@click.option("--timeout", type=float, metavar="SECONDS",
              help="CPU-time budget per point (wall time is capped at 10 times it); a point "
                   "over it is reported unknown. [default: 5]")
@click.option("--fail-on-nondifferentiable", is_flag=True,
              help="Exit 1 when f is certainly not differentiable somewhere.")
@click.option("--verify", is_flag=True,
              help="Cross-check every point with numeric difference quotients (mpmath); a "
                   "verdict the numbers contradict becomes unknown.")
@click.option("--plot", "plot_file", metavar="FILE",
              help="Also draw f, its points and f' to FILE (.png or .svg); needs matplotlib.")
@click.option("--function", "function", metavar="FILE.py:NAME",
              help="Analyse the Python function NAME in FILE.py instead of EXPR; the file is "
                   "read, never run. Its first parameter (or --var) is the variable.")
@click.option("--option", "call_options", metavar="NAME=VALUE", multiple=True,
              help="--function: the value of an option parameter (reduction=sum, "
                   "inplace=True, delta=2), of the function or of its class's __init__; "
                   "the default is used otherwise. Repeatable.")
@click.option("--autodiff", "autodiff", metavar="FRAMEWORK", multiple=True,
              help="Also evaluate torch's or jax's gradient (float64) at every point and judge "
                   "it against the one-sided derivatives. Repeatable.")
@click.option("--execute", is_flag=True,
              help="With --function and --autodiff: import FILE.py and run YOUR function in "
                   "the framework (the file's code runs: use it on your own code only). "
                   "Without it nothing is run and the gradients are those of diffcheck's "
                   "formula.")
@click.version_option(__version__, "--version", prog_name="diffcheck",
                      message="%(prog)s %(version)s")
def main(
    expression: str | None,
    var: tuple[str, ...],
    var_list: str | None,
    settings: tuple[str, ...],
    directions: tuple[str, ...],
    points: tuple[str, ...],
    domain: str | None,
    order: int,
    as_json: bool,
    timeout: float | None,
    fail_on_nondifferentiable: bool,
    verify: bool = False,
    plot_file: str | None = None,
    function: str | None = None,
    autodiff: tuple[str, ...] = (),
    output_format: str | None = None,
    explain: bool = False,
    assume: tuple[str, ...] = (),
    segment: str | None = None,
    call_options: tuple[str, ...] = (),
    execute: bool = False,
) -> None:
    """Find where the real function EXPR is not differentiable, and why.

    EXPR uses SymPy syntax (Max, Min, Abs, Piecewise, floor, sqrt, ...) plus
    max/min/abs/relu, ^ for powers and np./torch./math. prefixes; decimals are
    exact (0.01 is 1/100). At each candidate point diffcheck reports f(a), the
    one-sided limits, the one-sided derivatives and a verdict with its reason.
    """
    # Imported here so that --help and --version stay quick.
    from diffcheck.analysis.options import Options
    from diffcheck.analysis.single import analyze

    variables = [*var, *(n.strip() for n in (var_list or "").split(",") if n.strip())]
    if as_json and output_format not in (None, "json"):
        raise BadInput(f"--json and --format {output_format} ask for two outputs; give one")
    if as_json:
        output_format = "json"
    if autodiff and output_format in ("markdown", "latex"):
        raise BadInput(f"--autodiff is shown in the terminal report and in --json, not in "
                       f"--format {output_format}; drop one of them")
    if len(variables) > 1:
        if assume:
            raise BadInput("--assume is for one variable; with several variables fix "
                           "parameters with --set")
        if explain or output_format in ("markdown", "latex"):
            raise BadInput("--explain and --format markdown/latex are for one variable; "
                           "with several variables use the terminal report or --json")
        if function is not None or expression is None:
            raise BadInput("--function analyses a function of one variable; give EXPR "
                           "with several variables")
        if plot_file is not None:
            if len(variables) != 2 and segment is None:
                raise BadInput(f"--plot draws functions of two variables (or a --line "
                               f"restriction); f has {len(variables)}")
            _check_plot(plot_file)
        _several(expression, variables, settings, directions, points, domain, order,
                 output_format == "json", timeout, fail_on_nondifferentiable, segment,
                 plot_file)
        return
    if directions:
        raise BadInput("--direction is for several variables (--vars w,b)")
    if segment is not None:
        raise BadInput("--line is for several variables (--vars w,b)")
    if (call_options or execute) and function is None:
        raise BadInput("--option and --execute are for --function FILE.py:NAME")
    if execute and not autodiff:
        raise BadInput("--execute runs your function to take its gradients: give --autodiff "
                       "torch or --autodiff jax too")
    if plot_file is not None:
        _check_plot(plot_file)

    try:
        _require_frameworks(autodiff)
        options = Options.build(domain=domain, order=order, timeout=timeout, verify=verify,
                                assume=assume)
        given, name, translation = _function_input(expression, function,
                                                   variables[0] if variables else None,
                                                   call_options)
        analysis = analyze(_substituted(given, [name] if name else [], settings), var=name,
                           at=points, options=options)
        _require_values(analysis, autodiff, plot_file)
        user = None
        if translation is not None:
            from diffcheck.analysis.function import with_notes

            analysis = with_notes(analysis, translation)
            if execute:
                user = _user_function(function or "", translation, settings, call_options)
        reports = _autodiff_reports(analysis, autodiff, user)
    except InputError as e:
        raise BadInput(str(e)) from None
    except KeyboardInterrupt:
        raise Interrupted() from None

    if plot_file is not None:
        _write_plot(analysis, plot_file)  # first, so that a failure leaves stdout empty

    if output_format == "json":
        from diffcheck.render.to_json import render_json

        click.echo(render_json(analysis) if not reports else _autodiff_json(analysis, reports))
    elif output_format == "markdown":
        from diffcheck.analysis.explain import explain as explain_stage
        from diffcheck.render.markdown import render_markdown

        click.echo(render_markdown(explain_stage(analysis)), nl=False)
    elif output_format == "latex":
        from diffcheck.analysis.explain import explain as explain_stage
        from diffcheck.render.latex import render_latex

        click.echo(render_latex(explain_stage(analysis)), nl=False)
    else:
        _print_report(analysis, explain=explain)
        _print_autodiff(reports)

    if fail_on_nondifferentiable and analysis.differentiable_everywhere is False:
        click.get_current_context().exit(EXIT_NOT_DIFFERENTIABLE)


def _require_values(analysis: Analysis, autodiff: tuple[str, ...],
                    plot_file: str | None) -> None:
    """--autodiff and --plot evaluate f in floats: every parameter needs a --set value."""
    free = sorted(analysis.expression.free_symbols - {analysis.variable}, key=str)
    if not free or not (autodiff or plot_file):
        return
    what = "--autodiff" if autodiff else "--plot"
    names = ", ".join(map(str, free))
    example = " ".join(f"--set {n}=1" for n in free)
    raise InputError(f"{what} needs a function of {analysis.variable} alone; give the "
                     f"parameters {names} numbers with {example} (or other values)")


def _substituted(expression: Any, variables: list[str], settings: tuple[str, ...]) -> Any:
    """EXPR (text, or an expression from --function) with the --set values substituted."""
    if not settings:
        return expression
    from diffcheck.analysis.multi import parse_assignments
    from diffcheck.language.parsing import parse_expression

    fixed = parse_assignments(settings, what="--set")
    for name, _value in fixed:
        if str(name) in variables:
            raise InputError(f"{name} is the variable; --set fixes parameters only")
    parsed = parse_expression(expression) if isinstance(expression, str) else expression
    return parsed.xreplace(dict(fixed))


def _several(expression: str, variables: list[str], settings: tuple[str, ...],
             directions: tuple[str, ...], points: tuple[str, ...], domain: str | None,
             order: int, as_json: bool, timeout: float | None,
             fail_on_nondifferentiable: bool, segment: str | None = None,
             plot_file: str | None = None) -> None:
    """The analysis in several variables (``--var w --var b`` or ``--vars w,b``)."""
    from diffcheck.analysis.multi import analyze_multi

    try:
        if domain is not None:
            raise InputError("--domain is for one variable; with several variables give "
                             "points with --at 'w=1, b=0'")
        analysis = analyze_multi(expression, vars=variables, at=points,
                                 set=settings or None, directions=directions, order=order,
                                 timeout=timeout, line=segment)
    except InputError as e:
        raise BadInput(str(e)) from None
    except KeyboardInterrupt:
        raise Interrupted() from None
    if plot_file is not None:
        if len(variables) == 2:
            _write_plot_multi(analysis, plot_file)
        else:
            assert analysis.line is not None
            _write_plot(analysis.line.analysis, plot_file)
    if as_json:
        import json

        click.echo(json.dumps(analysis.to_dict(), indent=2))
    else:
        from rich.console import Console

        from diffcheck.render.terminal_multi import SYMBOLS, render_multi_analysis

        _replace_unencodable(sys.stdout)
        _replace_unencodable(sys.stdout, SYMBOLS)
        Console(highlight=False).print(render_multi_analysis(analysis))
    if fail_on_nondifferentiable and analysis.differentiable_everywhere is False:
        click.get_current_context().exit(EXIT_NOT_DIFFERENTIABLE)


def _print_report(analysis: Analysis, *, explain: bool = False) -> None:
    """The rich report on stdout (colour only on a terminal, and never with NO_COLOR)."""
    from diffcheck.render.terminal import render_analysis, render_explanation

    _replace_unencodable(sys.stdout)
    shown: list[Any] = [render_analysis(analysis)]
    if explain:
        from diffcheck.analysis.explain import explain as explain_stage

        shown += ["", render_explanation(explain_stage(analysis))]
    print_rich(*shown)


def print_rich(*renderables: Any) -> None:
    """Print rich renderables on stdout without the trailing spaces tables pad cells with."""
    from rich.console import Console

    console = Console(highlight=False)
    with console.capture() as captured:
        for renderable in renderables:
            console.print(renderable)
    # rich has decided about colour (terminal, NO_COLOR), and the stream about characters it
    # cannot show (_replace_unencodable): written as is, not re-encoded by click.echo.
    shown = "\n".join(line.rstrip() for line in captured.get().rstrip("\n").split("\n"))
    sys.stdout.write(shown + "\n")
    sys.stdout.flush()


def _replace_unencodable(stream: IO[str], symbols: str = _format.SYMBOLS) -> None:
    """Write ``?`` rather than fail when the terminal cannot show the report's symbols."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        symbols.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def _check_plot(path: str) -> None:
    """Refuse ``--plot FILE`` before the analysis: a format we cannot write, or no matplotlib."""
    import os
    from importlib.util import find_spec

    from diffcheck.render.plot import INSTALL_HINT, check_path

    try:
        check_path(path)
    except InputError as e:
        raise BadInput(str(e)) from None
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise BadInput(f"--plot {path}: the directory {folder} does not exist")
    if find_spec("matplotlib") is None:
        raise BadInput(f"--plot needs matplotlib: {INSTALL_HINT}")


def _write_plot_multi(analysis: Any, path: str) -> None:
    from diffcheck.render.plot_multi import save_multi

    _write_plot(analysis, path, save_multi)


def _write_plot(analysis: Any, path: str, save: Callable[[Any, str], Any] | None = None) -> None:
    """Write the plot (one variable unless ``save`` says otherwise); errors are one line."""
    from diffcheck.render import plot

    try:
        (save or plot.save)(analysis, path)
    except InputError as e:
        raise BadInput(str(e)) from None
    except ModuleNotFoundError:
        raise BadInput(f"--plot needs matplotlib: {plot.INSTALL_HINT}") from None


def _function_input(expression: str | None, function: str | None, var: str | None,
                    options: tuple[str, ...] = ()) -> tuple[Any, str | None, Any]:
    """EXPR, or the expression, variable and translation of ``--function FILE.py:NAME``
    (read, not run)."""
    if function is None:
        if expression is None:
            raise click.UsageError("Missing argument 'EXPR' (or give --function FILE.py:NAME).")
        return expression, var, None
    if expression is not None:
        raise BadInput("give either EXPR or --function FILE.py:NAME, not both")
    from diffcheck.language.pyfunction import load_function, translate_function

    source, path, name = load_function(function)
    translation = translate_function(source, name, path=path, var=var,
                                     options=_named(options, "--option"))
    return translation.expression, translation.variable.name, translation


def _named(pairs: tuple[str, ...], option: str) -> dict[str, str]:
    """``NAME=VALUE`` texts as a dict (the values still text)."""
    named: dict[str, str] = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals or not key.strip().isidentifier():
            raise InputError(f"{option} takes NAME=VALUE, such as reduction=sum, not {pair!r}")
        named[key.strip()] = value.strip()
    return named


def _python_value(text: str) -> Any:
    """An --option or --set value as the user's code receives it."""
    words = {"True": True, "False": False, "None": None}
    if text in words:
        return words[text]
    try:
        return float(text)
    except ValueError:
        return text.strip("'\"")


def _user_function(spec: str, translation: Any, settings: tuple[str, ...],
                   options: tuple[str, ...]) -> Any:
    """The user's own function for --execute, with --set and --option as its arguments."""
    from diffcheck.apps.autodiff import UserFunction

    given = {k: _python_value(v) for k, v in {**_named(settings, "--set"),
                                              **_named(options, "--option")}.items()}
    arguments = {k: v for k, v in given.items() if k in translation.parameters}
    init = {k: v for k, v in given.items() if k not in translation.parameters}
    return UserFunction(spec=spec, variable=translation.variable.name,
                        arguments=tuple(arguments.items()), init=tuple(init.items()))


def _require_frameworks(frameworks: tuple[str, ...]) -> None:
    """Fail before the analysis when an --autodiff framework is unknown or not installed."""
    if frameworks:
        from diffcheck.apps.autodiff import require

        for name in frameworks:
            require(name)


def _autodiff_reports(analysis: Analysis, frameworks: tuple[str, ...],
                      user: Any = None) -> tuple[Any, ...]:
    """One :class:`diffcheck.apps.autodiff.AutodiffReport` per --autodiff framework, in order
    (of the user's own code with --execute)."""
    if not frameworks:
        return ()
    from diffcheck.apps.autodiff import check

    return tuple(check(analysis, name, user) for name in dict.fromkeys(frameworks))


def _autodiff_json(analysis: Analysis, reports: tuple[Any, ...]) -> str:
    """The --json object with an ``autodiff`` list, one object per framework."""
    import json

    return json.dumps({**analysis.to_dict(), "autodiff": [r.to_dict() for r in reports]},
                      indent=2)


def _print_autodiff(reports: tuple[Any, ...]) -> None:
    if reports:
        from rich.console import Console

        from diffcheck.render.terminal_ml import render_autodiff

        console = Console(highlight=False)
        console.print()
        console.print(render_autodiff(reports))
