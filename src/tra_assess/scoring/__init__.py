"""Scoring (SPEC section 4): the rules in one module a newcomer can read (``rules``), the exact
mergeable integer tallies behind them (``tally``, with column-wise adding in ``columns``),
groups and suppression (``groups``), exact statistics (``stats``), respondents in and a results
document out (``scorer``), and batches of inputs read in chunks, in parallel where it pays
(``batch``, ``chunk``); the plain words of what to verify (``wording``) and a results document
re-evaluated against another target (``retarget``).

May import: :mod:`tra_assess.sources`, :mod:`tra_assess.results`,
:mod:`tra_assess.questionnaire` and :mod:`tra_assess.common`.
"""
