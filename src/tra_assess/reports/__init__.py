"""Board-ready reports (SPEC section 9): what reads a report's input (``inputs``), the context
every template is given (``context``, ``summary``, ``sections``), inline SVG charts
(``charts``), escaping for each format (``formatting``) and rendering with the Jinja2 templates
of ``report_templates/`` (``render``).

May import: :mod:`tra_assess.compare` and everything below it; never typer or rich.
"""
