"""JSON Schemas of the JSON contracts, generated from the models that the commands dump.

The schemas are committed under `schemas/` (one `<contract>.schema.json` per `--format json`
output) for the people who consume plan57's JSON without Python; a test regenerates them and
compares, and validates real command output against them. Regenerate after changing a model:

    python -m plan57.schemas schemas
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _check() -> Any:
    from plan57.findings import CheckReport

    return CheckReport


def _catalogue() -> Any:
    from plan57.catalogue.models import Catalogue

    return Catalogue


def _indicator() -> Any:
    from plan57.catalogue.models import Indicator

    return Indicator


def _registry() -> Any:
    from plan57.catalogue.models import RegistryEntry

    return list[RegistryEntry]


def _score() -> Any:
    from plan57.scoring.verdicts import ScoreReport

    return ScoreReport


def _status() -> Any:
    from plan57.submissions.status import StatusReport

    return StatusReport


def _diff() -> Any:
    from plan57.catalogue.revisions import DiffReport

    return DiffReport


def _history() -> Any:
    from plan57.catalogue.revisions import HistoryReport

    return HistoryReport


def _init() -> Any:
    from plan57.catalogue.scaffold import InitResult

    return InitResult


def _explain() -> Any:
    from plan57.explanations import Explanations

    return Explanations


# Each contract: the command that writes it, and the type its JSON is a dump of. `export`'s
# JSON files are described by the Table Schemas in the data package it writes beside them.
CONTRACTS: dict[str, tuple[str, Callable[[], Any]]] = {
    "check": ("plan57 check --format json", _check),
    "catalogue": ("plan57 catalogue --format json", _catalogue),
    "indicator": ("plan57 catalogue CT05 --format json", _indicator),
    "registry": ("plan57 catalogue --registry --format json", _registry),
    "score": ("plan57 score --format json", _score),
    "status": ("plan57 status --format json", _status),
    "diff": ("plan57 diff --format json", _diff),
    "history": ("plan57 history --format json", _history),
    "explain": ("plan57 explain --format json", _explain),
    "init": ("plan57 init --format json", _init),
}


def json_schema(contract: str) -> dict[str, Any]:
    """The JSON Schema of one contract (a key of CONTRACTS)."""
    from pydantic import TypeAdapter

    command, kind = CONTRACTS[contract]
    schema = TypeAdapter(kind()).json_schema(by_alias=True, mode="serialization")
    return {
        "$schema": DIALECT,
        "$id": f"{contract}.schema.json",
        "title": schema.pop("title", contract),
        "description": f"The output of `{command}`.",
        **schema,
    }


def schema_text(contract: str) -> str:
    """The schema as committed: indented, keys in the models' order, a final newline."""
    return json.dumps(json_schema(contract), indent=2, ensure_ascii=False) + "\n"


def write_all(folder: Path) -> list[Path]:
    """Write every contract's schema into `folder`; returns the files written."""
    from plan57.files import write_atomic

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for contract in CONTRACTS:
        path = folder / f"{contract}.schema.json"
        write_atomic(path, schema_text(contract).encode("utf-8"))
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover - the maintainers' regeneration step
    for path in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "schemas")):
        print(path)
