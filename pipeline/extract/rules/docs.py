"""The rule table of docs/extraction.md, generated from `RULES` so the document cannot drift."""

from __future__ import annotations

from pathlib import Path

from pipeline.extract.rules import RULES

BEGIN = "<!-- rules table: generated from pipeline.extract.rules.RULES by `pipeline docs`; do not edit -->"
END = "<!-- end of rules table -->"


def rule_table() -> str:
    """The rules in order, as a Markdown table with what each does and where its code is."""
    rows = ["| step | rule | what it does | code |", "|---:|---|---|---|"]
    for step, rule in enumerate(RULES, start=1):
        code = rule.module.__name__.replace(".", "/") + ".py"
        rows.append(f"| {step} | **{rule.name}** | {rule.summary} | `{code}` |")
    return "\n".join(rows)


def render(document: str) -> str:
    """`document` with the text between the markers replaced by the current table."""
    if BEGIN not in document or END not in document:
        raise ValueError(f"the document has no rule-table markers ({BEGIN!r} ... {END!r})")
    head, rest = document.split(BEGIN, 1)
    _old, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{rule_table()}\n{END}{tail}"


def write_rule_table(path: Path) -> None:
    """Regenerate the table inside the document at `path`."""
    path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
