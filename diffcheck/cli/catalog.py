"""``diffcheck catalog``: every activation and loss, where each is not differentiable."""

from __future__ import annotations

import json
import sys

import click

from diffcheck.cli import BadInput, Interrupted
from diffcheck.errors import InputError


@click.command(context_settings={"max_content_width": 100})
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the table.")
@click.option("--autodiff", "autodiff", metavar="FRAMEWORK", multiple=True,
              help="Show what torch's or jax's autodiff returns at each point, for the "
                   "framework's own function (float64). Repeatable. [default: those installed]")
@click.option("--no-autodiff", is_flag=True, help="Leave out the framework columns.")
def catalog(as_json: bool, autodiff: tuple[str, ...], no_autodiff: bool) -> None:
    """List the named activations and losses, the points where each may fail to be
    differentiable, the verdict and one-sided derivatives at each, and what the installed
    autodiff frameworks (torch, jax) return there."""
    from diffcheck.apps.catalog import catalog_rows

    if no_autodiff and autodiff:
        raise BadInput("give --autodiff or --no-autodiff, not both")
    if not autodiff and not no_autodiff:
        from diffcheck.apps.autodiff import installed

        autodiff = installed()
    try:
        rows = catalog_rows(frameworks=dict.fromkeys(autodiff))
    except InputError as e:
        raise BadInput(str(e)) from None
    except KeyboardInterrupt:
        raise Interrupted() from None
    if as_json:
        from diffcheck.apps.catalog import catalog_dict

        click.echo(json.dumps(catalog_dict(rows), indent=2))
        return
    from diffcheck.cli import _replace_unencodable, print_rich
    from diffcheck.render.terminal_ml import render_catalog

    _replace_unencodable(sys.stdout)
    print_rich(render_catalog(rows))
