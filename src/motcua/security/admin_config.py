"""``django.contrib.admin`` with our site class (listed in INSTALLED_APPS in
its place), so every ``admin.site.register`` lands on :class:`MotCuaAdminSite`."""

from django.contrib.admin.apps import AdminConfig


class MotCuaAdminConfig(AdminConfig):
    default_site = "motcua.security.admin_site.MotCuaAdminSite"
