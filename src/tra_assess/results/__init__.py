"""The ``tra-results/1`` document (SPEC section 6) that scoring writes and reports read: the
pydantic model and its JSON schema (``model``) and reading and checking results files
(``load``). Re-evaluating a document against another target level applies the scoring rules,
so it lives in :mod:`tra_assess.scoring.retarget`.

May import: :mod:`tra_assess.questionnaire` and :mod:`tra_assess.common`.
"""
