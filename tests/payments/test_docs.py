"""The admin guide names every payment setting and every IPN answer."""

from pathlib import Path

from motcua.payments import conf, vnpay

DOC = Path(__file__).resolve().parents[2] / "docs" / "admin-payments.md"


def test_the_guide_names_every_setting_and_answer_code():
    text = DOC.read_text()
    for name in conf.DEFAULTS:
        assert f"`{name}`" in text, name
    for code, _message in vnpay.ANSWERS.values():
        assert f"`{code}`" in text, code
