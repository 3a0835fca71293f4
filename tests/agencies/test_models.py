import pytest
from django.core.exceptions import ValidationError

from motcua.agencies.models import Agency
from motcua.deadlines.engine import WorkingHours


def _agency(**fields) -> Agency:
    values = {"code": "000.00.15.H12", "name": "UBND phường A", "level": "commune"}
    values.update(fields)
    return Agency(**values)


@pytest.mark.django_db
def test_agency_code_follows_qcvn_102_form():
    _agency().full_clean()
    with pytest.raises(ValidationError) as error:
        _agency(code="H12-15").full_clean()
    assert "QCVN 102:2016" in str(error.value)


def test_default_working_hours_are_eight_to_five_with_lunch():
    assert _agency().hours == WorkingHours.parse("08:00-12:00, 13:00-17:00")


@pytest.mark.django_db
def test_overlapping_working_hours_are_refused():
    with pytest.raises(ValidationError):
        _agency(working_hours="08:00-12:00, 11:00-17:00").full_clean()
