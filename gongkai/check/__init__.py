"""Stage 4, check: finance, affairs, projects, the calendar, future dates, personal data.

Rule: imports ``core``, ``read`` and ``model`` only. No I/O: each check adds problems to a
``Report``.
"""
