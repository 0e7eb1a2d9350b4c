"""Board-ready reports (SPEC section 9) and the other documents made from results: what reads a
report's input (``inputs``), the context every template is given (``context``, with the
at-a-glance strip in ``glance``, the executive summary, evidence and training-illusion
sentences in ``summary``, the sections that appear only sometimes in ``sections`` and the
groups' findings in ``findings``), inline SVG charts (``charts``), the trend section and its
small multiples (``history``), escaping for each format (``formatting``), rendering with the
Jinja2 templates of ``report_templates/`` (``render``), printing to PDF through a headless
Chromium (``pdf``) and the action plan (``plan``).

May import: :mod:`tra_assess.compare` and everything below it; never typer or rich.
"""
