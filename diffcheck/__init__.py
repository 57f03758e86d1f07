"""diffcheck: where is a real function not differentiable, and why.

Examples:
    >>> import diffcheck
    >>> report = diffcheck.analyze("Abs(x)")
    >>> [(str(p.at), p.kind.value, str(p.left_derivative), str(p.right_derivative))
    ...  for p in report.points]
    [('0', 'corner', '-1', '1')]
"""

from diffcheck._version import __version__
from diffcheck.analysis.function import analyze_function
from diffcheck.analysis.multi import analyze_multi
from diffcheck.analysis.single import analyze
from diffcheck.errors import DiffcheckError, InputError, ParseError
from diffcheck.model.multi import MultiAnalysis, MultiKind, MultiPointReport
from diffcheck.model.report import Analysis, CandidateSet, Kind, PointReport
from diffcheck.notebook import register_all as _register_displays

__all__ = [
    "Analysis",
    "CandidateSet",
    "DiffcheckError",
    "InputError",
    "Kind",
    "ParseError",
    "PointReport",
    "__version__",
    "analyze",
    "analyze_function",
]
__all__ += ["MultiAnalysis", "MultiKind", "MultiPointReport", "analyze_multi"]
__all__ += ["analyze_network"]


def __getattr__(name: str) -> object:
    """``analyze_network`` is imported on first use: it needs the ``onnx`` extra (numpy)."""
    if name == "analyze_network":
        from diffcheck.apps.network import analyze_network

        return analyze_network
    raise AttributeError(f"module 'diffcheck' has no attribute {name!r}")

_register_displays()
