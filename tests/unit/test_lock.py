"""The hash-locked requirements install on a fresh machine: every pin is exact and hashed, and every
package a locked package asks for *with extras* is locked with those extras.

pip (23.2, the one `python3.11 -m venv` brings) resolves a dependency's `name[extra]>=x` as its own
candidate: when the lock pins only `name==v` and the index has a release newer than v, it picks
the newer one, finds no hash for it, and refuses the whole install (seen 2026-12-02 when
smart-open 9.0.4 appeared beside the locked 9.0.2, asked for by weasel as `smart-open[http]`).
"""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

LOCK = Path(__file__).resolve().parents[2] / "requirements.lock"
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[(?P<extras>[^\]]*)\])?==(?P<version>\S+) \\$")


def locked() -> dict[str, tuple[frozenset[str], str]]:
    """Each locked package's canonical name -> (its extras, its version)."""
    pins: dict[str, tuple[frozenset[str], str]] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            extras = frozenset(
                canonicalize_name(extra) for extra in (match.group("extras") or "").split(",") if extra
            )
            pins[canonicalize_name(match.group("name"))] = (extras, match.group("version"))
    return pins


def test_every_requirement_line_is_an_exact_pin_with_hashes() -> None:
    text = LOCK.read_text(encoding="utf-8")
    starts = [line for line in text.splitlines() if line and not line.startswith((" ", "#"))]
    assert starts and all(PIN.match(line) for line in starts), [bad for bad in starts if not PIN.match(bad)]
    # each pin is followed by at least one hash line
    assert len(re.findall(r"==\S+ \\\n    --hash=sha256:[0-9a-f]{64}", text)) == len(starts)


def test_extras_that_locked_packages_ask_for_are_locked_with_them() -> None:
    pins = locked()
    missing = []
    for name, (_extras, version) in sorted(pins.items()):
        try:
            distribution = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue  # a platform-only pin (its marker is false here)
        assert distribution.version == version, (name, distribution.version, version)
        for spec in distribution.requires or []:
            requirement = Requirement(spec)
            if not requirement.extras:
                continue
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
                continue  # asked for only under an extra of its own, or on another platform
            wanted = {canonicalize_name(extra) for extra in requirement.extras}
            have = pins.get(canonicalize_name(requirement.name), (frozenset(), ""))[0]
            if not wanted <= have:
                locked_as = f"{requirement.name}[{','.join(sorted(have))}]"
                missing.append(f"{name} asks for {spec}; the lock has {locked_as}")
    assert not missing, missing
