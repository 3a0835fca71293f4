"""Loading a versioned definition of the 766 index (groups, indicators, weights,
targets, formulas) from ``data/index766-*.json``. Used by the migration that
installs the first version and by ``manage.py load_index766`` for a new one."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
DEFAULT_FILE = DATA / "index766-v1.json"


def read_definition(path: Path = DEFAULT_FILE) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    total = sum(Decimal(str(g["weight"])) for g in data["groups"])
    if total != 100:
        raise ValueError(f"group weights add up to {total}, not 100")
    for g in data["groups"]:
        inner = sum(Decimal(str(i["weight"])) for i in g["indicators"])
        if inner != Decimal(str(g["weight"])):
            raise ValueError(f"indicators of {g['code']} add up to {inner}")
    return data


def install_definition(
    group_model: Any, indicator_model: Any, data: dict[str, Any]
) -> int:
    """Create the groups and indicators of ``data['version']`` unless present.
    Returns the number of groups created (0 when the version exists)."""
    version = data["version"]
    if group_model.objects.filter(version=version).exists():
        return 0
    for position, g in enumerate(data["groups"]):
        group = group_model.objects.create(
            version=version,
            code=g["code"],
            name=g["name"],
            weight=Decimal(str(g["weight"])),
            position=position,
        )
        for inner, i in enumerate(g["indicators"]):
            target = i.get("target")
            indicator_model.objects.create(
                group=group,
                code=i["code"],
                name=i["name"],
                weight=Decimal(str(i["weight"])),
                target=None if target is None else Decimal(str(target)),
                formula=i["formula"],
                note=i.get("note", ""),
                position=inner,
            )
    return len(data["groups"])
