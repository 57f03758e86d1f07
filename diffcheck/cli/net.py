"""``diffcheck net``: every kink of a trained network (ONNX) along a segment, exactly."""

from __future__ import annotations

import json
import sys

import click

from diffcheck.cli import BadInput, Interrupted
from diffcheck.errors import InputError

EXAMPLES = """\b
Examples:
  diffcheck net model.onnx --from 0,0 --to 1,2        kinks of every output along the segment
  diffcheck net model.onnx --from a.npy --to b.npy --output 3
  diffcheck net model.onnx --from 0,0 --to 1,2 --json one JSON object, exact fractions as strings

\b
Exit codes:
  0    the analysis ran
  2    bad input: unreadable model, unsupported operator, sizes that do not match
  130  interrupted
"""


@click.command(epilog=EXAMPLES, context_settings={"max_content_width": 100})
@click.argument("model", metavar="MODEL.onnx")
@click.option("--from", "start", required=True, metavar="A",
              help="The input at t = 0: comma-separated numbers (exact: 0.1 is 1/10) or a "
                   ".npy file.")
@click.option("--to", "end", required=True, metavar="B",
              help="The input at t = 1, like --from.")
@click.option("--output", "outputs", type=int, multiple=True, metavar="K",
              help="Study output K only (index into the flattened output). Repeatable. "
                   "[default: every output]")
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object instead of the report.")
@click.option("--plot", "plot_file", metavar="FILE",
              help="Also draw t -> N(A + t (B - A)) with its kinks to FILE (.png, .svg or .pdf); "
                   "needs matplotlib.")
@click.option("--all-points", is_flag=True,
              help="Also list the switch points where the output's slope does not change.")
@click.option("--max-rows", type=click.IntRange(min=1), default=20, show_default=True,
              metavar="N", help="Kinks listed per output in the report.")
@click.option("--max-regions", type=click.IntRange(min=1), default=None, metavar="N",
              help="Refuse a segment crossing more linear regions than this. [default: 1000000]")
@click.option("--torch-module", "torch_module", metavar="FILE.py:NAME",
              help="Also run your PyTorch module NAME (an nn.Module, or a function returning "
                   "one) at every switch point and show what autograd returns; needs "
                   "--execute.")
@click.option("--execute", is_flag=True,
              help="Allow --torch-module to import and run FILE.py.")
def net(model: str, start: str, end: str, outputs: tuple[int, ...], as_json: bool,
        plot_file: str | None, all_points: bool, max_rows: int, max_regions: int | None,
        torch_module: str | None, execute: bool) -> None:
    """Where is the network in MODEL.onnx not differentiable along the segment from A to B?

    Studies f(t) = N(A + t (B - A)) on [0, 1] for each output: the points where a unit
    switches, the exact one-sided derivatives there, and whether each is a corner.  The
    model is read (onnx package), never executed; stored weights are exact binary
    fractions, so for piecewise-linear networks every kink is exact."""
    from diffcheck.apps.network import (
        analyze_network,
        autograd_checks,
        evaluate_network,
        read_vector,
    )

    checks = None
    try:
        if torch_module is not None and not execute:
            raise InputError("--torch-module imports and runs FILE.py (arbitrary code): add "
                             "--execute to allow it")
        if plot_file is not None:
            _check_plot(plot_file)
        a, b = read_vector(start, "--from"), read_vector(end, "--to")
        analysis = analyze_network(model, a, b, outputs=outputs or None,
                                   max_regions=max_regions)
        if plot_file is not None:
            from diffcheck.render.network import save_plot

            samples = None
            if not analysis.exact or not any(o.breaks for o in analysis.outputs):
                ts = [i / 1000 for i in range(1001)]
                samples = (ts, evaluate_network(model, a, b, ts).tolist())
            save_plot(analysis, plot_file, samples)
        if torch_module is not None:
            checks = autograd_checks(torch_module, analysis, execute=execute)
    except InputError as e:
        raise BadInput(str(e)) from None
    except ModuleNotFoundError as e:
        raise BadInput(f"--plot needs matplotlib ({e.name} is missing): "
                       f'pip install "diffcheck-analyzer[plot]"') from None
    except KeyboardInterrupt:
        raise Interrupted() from None
    if as_json:
        data = analysis.to_dict()
        if checks is not None:
            data["autograd"] = [c.to_dict() for c in checks]
        click.echo(json.dumps(data, indent=2))
        return
    from rich.console import Console

    from diffcheck.cli import _replace_unencodable
    from diffcheck.render.network import render_autograd, render_network

    _replace_unencodable(sys.stdout)
    console = Console(highlight=False)
    console.print(render_network(analysis, max_rows=max_rows, all_points=all_points))
    if checks is not None:
        console.print(render_autograd(checks, max_rows=max_rows))


def _check_plot(path: str) -> None:
    from importlib.util import find_spec

    from diffcheck.render.network import check_plot_path

    check_plot_path(path)
    if find_spec("matplotlib") is None:
        raise InputError('--plot needs matplotlib: pip install "diffcheck-analyzer[plot]"')
