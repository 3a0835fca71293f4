"""Working calendar and deadline engine.

``engine`` and ``national`` are pure Python (no Django); ``models`` and
``services`` are the thin Django layer (overrides, per-agency calendars).
"""
