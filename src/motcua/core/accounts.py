"""django-allauth adapter: staff accounts are created by administrators only."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter


class StaffAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: Any) -> bool:
        return False
