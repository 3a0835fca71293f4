"""The catalogue's search box and filters (GET, nothing personal)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.agencies.selectors import former_on
from motcua.catalog.models import Field
from motcua.catalog.search import MAX_QUERY_CHARS
from motcua.core import clock


def offering_agencies() -> QuerySet[Agency]:
    """Published agencies that offer at least one active procedure."""
    return (
        Agency.objects.filter(is_active=True, procedures__is_active=True)
        .exclude(former_on(clock.today()))
        .distinct()
        .order_by("name")
    )


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm thủ tục"),
        required=False,
        max_length=MAX_QUERY_CHARS,
        help_text=_(
            "Gõ có dấu hoặc không dấu, theo cách bạn vẫn gọi, "
            "ví dụ «làm giấy khai sinh», «sổ đỏ», «xác nhận độc thân»."
        ),
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "inputmode": "search"}
        ),
    )
    agency = forms.ModelChoiceField(
        label=_("Cơ quan thực hiện"),
        queryset=Agency.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("Tất cả cơ quan"),
        error_messages={"invalid_choice": _("Không có cơ quan này trong danh mục.")},
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=Field.objects.order_by("name"),
        required=False,
        to_field_name="code",
        empty_label=_("Tất cả lĩnh vực"),
        error_messages={"invalid_choice": _("Không có lĩnh vực này trong danh mục.")},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["agency"].queryset = offering_agencies()  # type: ignore[attr-defined]

    def clean_q(self) -> str:
        text = self.cleaned_data.get("q") or ""
        if "\x00" in text:
            raise forms.ValidationError(
                _("Từ khóa chứa ký tự không hợp lệ."), code="catalog.invalid_query"
            )
        return " ".join(text.split())
