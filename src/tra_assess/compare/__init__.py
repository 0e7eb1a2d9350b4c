"""Change between assessments: two results files compared domain by domain and item by item
(``change``), across versions of a questionnaire through its ``changes`` list (``versions``)
and on the items both versions share (``shared``), rendered as Markdown (``render``); trends
over several assessments.

May import: :mod:`tra_assess.scoring` (its statistics and rules), :mod:`tra_assess.results`,
:mod:`tra_assess.questionnaire` and :mod:`tra_assess.common`.
"""
