"""``{% online_answers dossier %}``: what the applicant gave online with a
dossier (the e-form answers as received, how they want the result), for the
back-office dossier page — whose view already logs the read of the dossier's
personal data. Nothing when the dossier was not submitted online."""

from __future__ import annotations

from typing import Any

from django import template

from motcua.dossiers.models import Dossier

from .. import eform
from ..models import Draft
from ..selectors import submission_of

register = template.Library()


@register.inclusion_tag("online/_answers.html")
def online_answers(dossier: Dossier) -> dict[str, Any]:
    submission = submission_of(dossier)
    if submission is None:
        return {"submission": None}
    return {
        "submission": submission,
        "sections": eform.readable(submission.schema, submission.answers),
        "return_label": Draft.ReturnMethod(submission.return_method).label,
    }
