"""The rule table of docs/extraction.md, generated from `RULES` so the document cannot drift.

The table carries each rule's measured effect on the gold sets whose `pipeline evaluate --by-rule
--json` output is kept in docs/figures/ (`<gold>_by_rule.json`): how many mentions it changed,
how many of those changes the gold says were right and wrong, and the F1 it adds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pipeline.extract.rules import RULES

BEGIN = "<!-- rules table: generated from pipeline.extract.rules.RULES by `pipeline docs`; do not edit -->"
END = "<!-- end of rules table -->"
FIGURES = Path(__file__).resolve().parents[3] / "docs" / "figures"
SUFFIX = "_by_rule.json"

Figures = Mapping[str, Mapping[str, Any]]
"""Per gold set, the `--by-rule --json` report."""


def load_figures(folder: Path = FIGURES) -> dict[str, dict[str, Any]]:
    """The by-rule reports kept in `folder`, by gold set name (empty when there are none)."""
    if not folder.is_dir():
        return {}
    return {
        path.name.removesuffix(SUFFIX): json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob(f"*{SUFFIX}"))
    }


def _cells(report: Mapping[str, Any], rule: str) -> list[str]:
    rows = [row for row in report["rules"] if row["rule"] == rule]
    if not rows:
        return ["–", "–"]
    index = [row["rule"] for row in report["rules"]].index(rule)
    before = report["before"] if index == 0 else report["rules"][index - 1]
    changes = rows[0]["changes"]
    total = sum(kind["total"] for kind in changes.values())
    right = sum(kind["right"] for kind in changes.values())
    wrong = sum(kind["wrong"] for kind in changes.values())
    return [f"{total} ({right}/{wrong})", f"{rows[0]['f1'] - before['f1']:+.3f}"]


def rule_table(figures: Figures | None = None) -> str:
    """The rules in order, as a Markdown table with what each does, where its code is and, per
    gold set, its changes as `n (right/wrong)` and the F1 it adds."""
    figures = load_figures() if figures is None else figures
    names = sorted(figures)
    header = ["step", "rule", "what it does", "code"]
    for name in names:
        header += [f"{name}: changes (right/wrong)", f"{name}: ΔF1"]
    rows = ["| " + " | ".join(header) + " |", "|---:|---|---|---|" + "---:|" * (2 * len(names))]
    for step, rule in enumerate(RULES, start=1):
        code = rule.module.__name__.replace(".", "/") + ".py"
        cells = [str(step), f"**{rule.name}**", rule.summary, f"`{code}`"]
        for name in names:
            cells += _cells(figures[name], rule.name)
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def render(document: str, figures: Figures | None = None) -> str:
    """`document` with the text between the markers replaced by the current table."""
    if BEGIN not in document or END not in document:
        raise ValueError(f"the document has no rule-table markers ({BEGIN!r} ... {END!r})")
    head, rest = document.split(BEGIN, 1)
    _old, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{rule_table(figures)}\n{END}{tail}"


def write_rule_table(path: Path) -> None:
    """Regenerate the table inside the document at `path`."""
    path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
