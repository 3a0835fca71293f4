"""Names print in Vietnamese order: family name first ("Trần Thị Thu")."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.template import Context, Template

from motcua.core.names import display_name


def person(username: str = "thutt", first: str = "", last: str = ""):
    return get_user_model()(username=username, first_name=first, last_name=last)


def test_family_name_first_never_the_western_order():
    thu = person(first="Thu", last="Trần Thị")
    assert display_name(thu) == "Trần Thị Thu"
    assert thu.get_full_name() == "Thu Trần Thị"  # what Django would print


def test_without_a_name_the_username_and_without_a_user_nothing():
    assert display_name(person("canbo1")) == "canbo1"
    assert display_name(person("canbo1", first=" An ")) == "An"
    assert display_name(None) == ""


def test_the_template_filter_is_the_same_function():
    rendered = Template("{% load names %}{{ u|vn_name }}").render(
        Context({"u": person(first="Thu", last="Trần Thị")})
    )
    assert rendered == "Trần Thị Thu"
