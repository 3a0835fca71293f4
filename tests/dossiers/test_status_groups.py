"""The status groups are defined once, next to ``Status`` (issue 9)."""

from __future__ import annotations

from motcua.dossiers import workflow
from motcua.dossiers.workflow import Status


def test_every_status_is_waiting_open_or_ended_exactly_once():
    groups = [{Status.SUBMITTED}, workflow.OPEN, workflow.ENDED]
    assert set().union(*groups) == set(Status)
    assert sum(len(g) for g in groups) == len(Status)


def test_open_is_working_or_paused_and_ended_is_closed_or_finished():
    assert workflow.OPEN == workflow.WORKING | workflow.PAUSED
    assert not workflow.WORKING & workflow.PAUSED
    assert workflow.ENDED == workflow.CLOSED | workflow.FINISHED
    handed_over = workflow.CLOSED & workflow.FINISHED
    assert handed_over == {Status.RETURNED}


def test_screens_and_reports_use_the_groups_of_the_workflow():
    from motcua.backoffice import queues
    from motcua.evaluation import services as evaluation
    from motcua.portal import tracking

    assert queues.WORKING is workflow.WORKING
    assert evaluation.RATEABLE is workflow.FINISHED
    assert tracking.PAUSED is workflow.PAUSED and tracking.ENDED is workflow.ENDED
