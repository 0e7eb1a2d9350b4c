"""Change between assessments: two results files compared domain by domain and item by item
(``change``), rendered as Markdown (``render``); trends over several assessments.

May import: :mod:`tra_assess.scoring` (its statistics), :mod:`tra_assess.results`,
:mod:`tra_assess.questionnaire` and :mod:`tra_assess.common`.
"""
