"""``tra-assess demo``: a fictional organisation (``data``) assessed end to end, scored and
reported into one folder (``build``).

May import: :mod:`tra_assess.reports`, :mod:`tra_assess.walk` and everything below them;
never typer or rich.
"""
