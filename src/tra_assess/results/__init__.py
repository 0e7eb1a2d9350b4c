"""The ``tra-results/1`` document (SPEC section 6) that scoring writes and reports read: the
pydantic model and its JSON schema (``model``), reading and checking results files (``load``),
and re-evaluating a document against another target level (``retarget``).

May import: :mod:`tra_assess.questionnaire` and :mod:`tra_assess.common`.
"""
