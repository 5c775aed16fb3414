"""A reproducible random sample of a release's mentions, for judging by hand, and its summary.

`draw` picks COUNT mentions of English articles at random (Python's `random.Random(SEED)` over
the mention ids in sorted order, so the same release and seed give the same sample) and writes a
CSV with what a judge needs: the mention marked in its sentence ([[...]]), its type, the model's
type, its origin and resolution, and its entity with the entity's other aliases. The judge fills
in `span` (right: a real name with the right boundaries), `type` (right OntoNotes type),
`entity` (its entity's canonical name and other mentions are the same thing), `verdict`
(right only when all three are) and `what_wrong`.

`summary` reads a judged CSV and prints the shares as Markdown: fully right, right span, right
type among right spans, and each by origin (the model or the rule that made the mention).

`build` makes the release the way tests/benchmarks/real_pages_pipeline.py does: the pages' HTML
copied into one raw folder and `pipeline run` over it (WORK/html/dist/news.db).

Example:
    .venv/bin/python tests/benchmarks/judge_sample.py build --work /tmp/judge
    .venv/bin/python tests/benchmarks/judge_sample.py draw /tmp/judge/html/dist/news.db --seed 16 --out s.csv
    .venv/bin/python tests/benchmarks/judge_sample.py summary docs/figures/judged_mentions.csv
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import random
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

PAGES = Path(__file__).resolve().parents[3] / "shared" / "real-pages-dev"

COLUMNS = (
    "mention_id",
    "article",
    "field",
    "text",
    "sentence",
    "type",
    "model_type",
    "origin",
    "resolution",
    "entity_name",
    "entity_type",
    "entity_mentions",
    "entity_articles",
    "entity_aliases",
    "span",
    "type_ok",
    "entity",
    "verdict",
    "what_wrong",
)

QUERY = """
select m.id, a.source_path, m.field, m.text, m.start, m."end", m.sentence_start, m.sentence_end,
       m.label, m.model_label, m.origin, m.resolution, e.name, e.type, e.mention_count,
       e.article_count, e.id, a.title, a.body, a.author, a.dateline
from mentions m join articles a on a.id = m.article_id left join entities e on e.id = m.entity_id
where m.id = ?
"""


def english_mention_ids(connection: sqlite3.Connection) -> list[str]:
    """Every mention of an English article, in id order (what the random draw picks from)."""
    rows = connection.execute(
        "select m.id from mentions m join articles a on a.id = m.article_id "
        "where a.language = 'en' order by m.id"
    )
    return [row[0] for row in rows]


def marked_sentence(column: str, start: int, end: int, sentence_start: int, sentence_end: int) -> str:
    """The mention's sentence with the mention between [[ and ]], on one line."""
    sentence_start, sentence_end = min(sentence_start, start), max(sentence_end, end)
    marked = f"{column[sentence_start:start]}[[{column[start:end]}]]{column[end:sentence_end]}"
    return " ".join(marked.split())


def row_for(connection: sqlite3.Connection, mention_id: str) -> dict[str, object]:
    """One CSV row for a mention, the judgment columns left empty."""
    (m,) = connection.execute(QUERY, (mention_id,)).fetchall()
    columns = {"title": m[17], "body": m[18], "author": m[19], "dateline": m[20]}
    aliases = connection.execute(
        "select alias, mention_count from entity_aliases where entity_id = ? "
        "order by mention_count desc, alias limit 8",
        (m[16],),
    ).fetchall()
    values = [m[0], Path(m[1]).name.split(".")[0][:12], m[2], m[3]]
    values.append(marked_sentence(columns[m[2]] or "", m[4], m[5], m[6], m[7]))
    values += [m[8], m[9], m[10], m[11], m[12], m[13], m[14], m[15]]
    values.append("; ".join(f"{alias} ({count})" for alias, count in aliases))
    return dict(zip(COLUMNS, [*values, "", "", "", "", ""], strict=True))


def draw(release: Path, seed: int, count: int, out: Path) -> None:
    """Write COUNT randomly drawn English mentions of the release to OUT, in draw order."""
    connection = sqlite3.connect(f"file:{release}?mode=ro", uri=True)
    chosen = random.Random(seed).sample(english_mention_ids(connection), count)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        for mention_id in chosen:
            writer.writerow(row_for(connection, mention_id))
    connection.close()


def share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.0%})" if whole else "0/0"


def made_by(row: dict[str, str]) -> str:
    """The origin, and for the model's mentions whether a rule changed them (type, span or name)."""
    if row["origin"] != "model":
        return row["origin"]
    return "model" if row["resolution"].startswith("exact") else "model, changed by a rule"


def summary(judged: Path) -> str:
    """The shares of a judged CSV as a Markdown table: overall and by origin."""
    with judged.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        groups["all"].append(row)
        groups[f"origin: {made_by(row)}"].append(row)
        if row.get("sample"):
            groups[f"sample: seed {row['sample']}"].append(row)
    lines = [
        "| mentions | n | fully right | right span | right type among right spans "
        "| right entity among right span and type |",
        "|---|---|---|---|---|---|",
    ]
    for name in ["all", *sorted(key for key in groups if key != "all")]:
        group = groups[name]
        spans = [row for row in group if row["span"] == "right"]
        typed = [row for row in spans if row["type_ok"] == "right"]
        lines.append(
            f"| {name} | {len(group)} "
            f"| {share(sum(row['verdict'] == 'right' for row in group), len(group))} "
            f"| {share(len(spans), len(group))} "
            f"| {share(len(typed), len(spans))} "
            f"| {share(sum(row['entity'] == 'right' for row in typed), len(typed))} |"
        )
    retyped = [r for r in rows if r["model_type"] and r["model_type"] != r["type"] and r["span"] == "right"]
    right = sum(r["type_ok"] == "right" for r in retyped)
    lines.append(
        f"\nMentions whose type a rule changed (model type given, span right): {len(retyped)}, "
        f"of which the new type is right for {right} and wrong for {len(retyped) - right}."
    )
    return "\n".join(lines)


def build(pages: Path, work: Path) -> Path:
    """The release of the pages' HTML through the whole pipeline; returns its path."""
    spec = importlib.util.spec_from_file_location(
        "real_pages", Path(__file__).with_name("real_pages_pipeline.py")
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.run_kind("html", pages, work)
    return work / "html" / "dist" / "news.db"


def show(judged: Path, release: Path, seed: int | None) -> str:
    """The judged rows (of one sample, when `seed` is given) with their sentences from `release`:
    the stored judgments keep no article text, the release built at the recorded commit has it."""
    connection = sqlite3.connect(f"file:{release}?mode=ro", uri=True)
    lines = []
    with judged.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if seed is not None and row["sample"] != str(seed):
                continue
            found = connection.execute("select 1 from mentions where id = ?", (row["mention_id"],)).fetchone()
            sentence = (
                row_for(connection, row["mention_id"])["sentence"] if found else "(not in this release)"
            )
            lines.append(f"{row['mention_id']} {row['verdict']}: {sentence}  -- {row['what_wrong']}")
    connection.close()
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    drawing = commands.add_parser("draw", help="draw a sample of a release's mentions")
    drawing.add_argument("release", type=Path)
    drawing.add_argument("--seed", type=int, required=True)
    drawing.add_argument("--count", type=int, default=150)
    drawing.add_argument("--out", type=Path, required=True)
    building = commands.add_parser("build", help="run the pipeline over the pages' HTML")
    building.add_argument("--pages", type=Path, default=PAGES)
    building.add_argument("--work", type=Path, required=True)
    summing = commands.add_parser("summary", help="the shares of a judged sample")
    summing.add_argument("judged", type=Path)
    showing = commands.add_parser("show", help="judged rows with their sentences from a release")
    showing.add_argument("judged", type=Path)
    showing.add_argument("release", type=Path)
    showing.add_argument("--seed", type=int)
    arguments = parser.parse_args()
    if arguments.command == "build":
        sys.stdout.write(f"{build(arguments.pages, arguments.work)}\n")
    elif arguments.command == "draw":
        draw(arguments.release, arguments.seed, arguments.count, arguments.out)
    elif arguments.command == "show":
        sys.stdout.write(show(arguments.judged, arguments.release, arguments.seed) + "\n")
    else:
        sys.stdout.write(summary(arguments.judged) + "\n")


if __name__ == "__main__":
    main()
