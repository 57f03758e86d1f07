"""Python source of activations and losses -> exact SymPy: the reader behind ``--function``.

:mod:`.base` holds the error, the result and the kinds of values code may hold;
:mod:`.tables` what plumbing, tensor methods, reductions, layers and decorators mean;
:mod:`.values` reads expressions, :mod:`.statements` statements, functions and classes.
The public entry points are in :mod:`diffcheck.language.pyfunction`.
"""
