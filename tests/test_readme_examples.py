"""The README's example outputs are what the command prints (regenerate: see readme_examples)."""

from __future__ import annotations

import pytest
from readme_examples import README, examples, printed, rewrite

TEXT = README.read_text(encoding="utf-8")


def test_the_readme_has_marked_examples() -> None:
    assert len(examples(TEXT)) >= 3


@pytest.mark.parametrize(("args", "shown"), [pytest.param(*e, id=e[0][:40])
                                             for e in examples(TEXT)])
def test_example_output_is_what_the_command_prints(args: str, shown: str) -> None:
    assert printed(args) == shown, ("the README's example drifted from the real output; "
                                    "regenerate with: python -m tests.readme_examples --write")


def test_rewrite_only_touches_the_outputs() -> None:
    drifted = TEXT.replace("0 from Max(0, x)\n", "0 from a stale line\n", 1)
    assert drifted != TEXT
    assert rewrite(drifted) == TEXT
