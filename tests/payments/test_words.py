"""Amounts on the receipt: figures with dots, words as a Vietnamese receipt
writes them (mốt, tư, lăm, linh, không trăm)."""

from __future__ import annotations

import pytest

from motcua.payments.words import in_words, money


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (105, "Một trăm linh năm đồng"),
        (15_000, "Mười lăm nghìn đồng"),
        (50_000, "Năm mươi nghìn đồng"),
        (101_000, "Một trăm linh một nghìn đồng"),
        (1_050_000, "Một triệu không trăm năm mươi nghìn đồng"),
        (
            1_234_567,
            "Một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy đồng",
        ),
        (1_000_050_000, "Một tỷ không trăm năm mươi nghìn đồng"),
        (2_000_000_000, "Hai tỷ đồng"),
    ],
)
def test_amounts_in_words(amount, words):
    assert in_words(amount) == words


def test_amounts_in_figures():
    assert money(50_000) == "50.000 đ"
    assert money(1_000_000) == "1.000.000 đ"
    assert money(500) == "500 đ"


def test_a_negative_amount_has_no_words():
    with pytest.raises(ValueError):
        in_words(-1)
