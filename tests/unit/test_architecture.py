"""The seams stay visible: rules as data, generated docs, computed cache keys, strict types."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from pipeline.extract.candidate import Candidate
from pipeline.extract.rules import RULES, ArticleText, RuleChange, apply_rules
from pipeline.extract.rules.docs import render

REPO = Path(__file__).resolve().parents[2]


def test_rule_table_in_docs_is_generated_from_the_registry() -> None:
    document = (REPO / "docs" / "extraction.md").read_text(encoding="utf-8")
    assert render(document) == document, "run `pipeline docs` to regenerate docs/extraction.md"
    for rule in RULES:
        assert f"**{rule.name}**" in document


def test_every_rule_has_a_name_summary_and_its_own_module() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    for rule in RULES:
        assert rule.summary.endswith(".")
        assert rule.module.__name__.startswith("pipeline.extract.rules.")


def test_apply_rules_reports_each_change_with_the_rule_that_made_it() -> None:
    text = "The Finance Bill was read by Ruto."
    start = text.index("Bill")
    candidate = Candidate("body", start, start + 4, "Bill", "PERSON", "PERSON", "model", name="Bill")
    changes: list[RuleChange] = []
    result = apply_rules(ArticleText({"body": text}), [candidate], on_change=changes.append)
    assert [(c.label, c.text) for c in result] == [("LAW", "Finance Bill")]
    assert [(change.rule, change.kind) for change in changes] == [("law names", "re-bounded")]


def test_mypy_strict_passes_on_the_package() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "pipeline"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def _run(package_root: Path, raw: Path, work: Path, *args: str) -> str:
    # -S: no site module, so the installed (possibly editable) package cannot shadow the copy;
    # the copy comes first on the path, then the environment's packages.
    site_packages = sysconfig.get_paths()["purelib"]
    result = subprocess.run(
        [
            sys.executable,
            "-S",
            "-m",
            "pipeline",
            "run",
            "--raw",
            str(raw),
            "--dist",
            str(work / "dist"),
            "--database-url",
            f"sqlite:///{work / 'work.db'}",
            "--no-progress",
            *args,
        ],
        env={"PYTHONPATH": f"{package_root}:{site_packages}", "PATH": "/usr/bin:/bin", "HOME": str(work)},
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


@pytest.mark.slow
def test_editing_a_rule_or_a_word_list_reruns_what_it_can_affect(tmp_path: Path) -> None:
    """Cache keys are computed from code and data: no version to forget to bump."""
    root = tmp_path / "code"
    shutil.copytree(REPO / "pipeline", root / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "migrations", root / "migrations")
    raw = tmp_path / "raw"
    shutil.copytree(REPO / "raw", raw)
    first = _run(root, raw, tmp_path)
    assert "enrich: 2 of 2 articles" in first
    assert "enrich: 0 of 2 articles" in _run(root, raw, tmp_path)
    rule = root / "pipeline" / "extract" / "rules" / "laws.py"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert "enrich: 2 of 2 articles" in _run(root, raw, tmp_path)
    words = next((root / "pipeline" / "data" / "gazetteer").glob("*.csv"))
    words.write_text(words.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    again = _run(root, raw, tmp_path)
    assert "clean: 2 articles (0 cleaned" in again and "enrich: 2 of 2 articles" in again
    source = root / "pipeline" / "sources" / "sidecar.py"
    source.write_text(source.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert "clean: 2 articles (2 cleaned" in _run(root, raw, tmp_path)
