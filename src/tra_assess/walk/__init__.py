"""The facilitated walk, ``tra-assess run`` (SPEC section 8): the state of one walk free of any
terminal I/O (``session``), what it shows (``screen``), line input (``inputs``), where answers
are kept and saved atomically (``store``) and the loop that ties them together (``loop``).

May import: :mod:`tra_assess.scoring` and everything below it, and rich; never typer.
"""
