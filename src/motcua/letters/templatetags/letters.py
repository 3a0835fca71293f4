"""``{% load letters %}``: the letter link of a dossier, when a letter applies."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from motcua.dossiers.models import Dossier, HomeVisit
from motcua.dossiers.permissions import is_applicant_of
from motcua.dossiers.workflow import Status

from ..models import LetterTemplate
from ..selectors import letter_for

register = template.Library()


def _link(name: str, dossier: Dossier) -> dict[str, str] | None:
    return letter_link(name, dossier, letter_for(dossier))


def letter_link(
    name: str, dossier: Dossier, letter: LetterTemplate | None
) -> dict[str, str] | None:
    """``{"url", "label"}`` of ``letter`` (``letter_for(dossier)``, read once
    for a whole list by ``letters_for``) at the page ``name``, or None."""
    if letter is None:
        return None
    try:
        url = reverse(name, kwargs={"code": dossier.code})
    except NoReverseMatch:  # the app is not mounted
        return None
    label = LetterTemplate.Kind(letter.kind).label
    return {"url": url, "label": str(label)}


@register.simple_tag
def staff_letter_link(dossier: Dossier) -> dict[str, str] | None:
    """``{"url", "label"}`` of the letter for staff, or None."""
    return _link("letters:staff_pdf", dossier)


@register.simple_tag(takes_context=True)
def citizen_letter_link(context: Any, code: str) -> dict[str, str] | None:
    """For the signed-in citizen's own returned dossier only."""
    request = context.get("request")
    user = getattr(request, "user", None)
    dossier = (
        Dossier.objects.filter(code=code, status=Status.RETURNED)
        .select_related("procedure")
        .first()
    )
    if dossier is None or user is None or not is_applicant_of(user, dossier):
        return None
    return _link("letters:citizen_pdf", dossier)


@register.simple_tag
def home_visit_of(dossier: Dossier) -> HomeVisit | None:
    """The home-visit record of a dossier returned «Tại nhà», if any."""
    if dossier.return_method != Dossier.ReturnMethod.HOME:
        return None
    return (
        HomeVisit.objects.filter(dossier=dossier)
        .select_related("receipt")
        .prefetch_related("officers")
        .first()
    )
