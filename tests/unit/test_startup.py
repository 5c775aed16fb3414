"""What a command loads before it has work: an unchanged re-run must not pay for the model's imports."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("spacy", "alembic", "trafilatura", "pyarrow", "mako")


def test_the_cli_and_every_stage_key_load_no_model_parser_or_migration_tool() -> None:
    # the stages' cache keys are what an unchanged re-run computes: code fingerprints, the model's
    # version read from its meta.json, the schema's head read from the migration scripts
    probe = (
        "import json, sys\n"
        "import pipeline.cli\n"
        "from pipeline.settings import Settings\n"
        "from pipeline.stages import clean, enrich, resolve\n"
        "from pipeline.store.engine import schema_head\n"
        "clean.cleaner_version(); enrich.enricher_version(Settings().model); resolve.resolver_version()\n"
        "schema_head()\n"
        f"print(json.dumps([name for name in {HEAVY!r} if name in sys.modules]))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    assert json.loads(loaded.stdout) == []
