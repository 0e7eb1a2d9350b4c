"""The ``tra-assess`` command line, a thin skin over the library: the Typer app (``app``), the
one error boundary that maps errors to exit codes (``support``), Rich consoles made at call time
(``console``), terminal views (``summary``, ``demo_view``) and one module per command in
:mod:`tra_assess.cli.commands`.

Nothing else imports this package; it is the only one that imports typer.
"""
