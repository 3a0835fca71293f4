"""Docs are part of a feature: the lifecycle page names every state and action."""

from pathlib import Path

from motcua.dossiers.workflow import TRANSITIONS, Status

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_lifecycle_doc_names_every_action_and_state():
    text = (DOCS / "lifecycle.md").read_text()
    for action in TRANSITIONS:
        assert f"`{action}`" in text, action
    for status in Status:
        assert f"`{status.value}`" in text, status
