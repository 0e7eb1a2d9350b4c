"""Reading answers (SPEC section 5). The records every reader hands the scorer are in
``answers``: :class:`~tra_assess.sources.answers.Source` (one input) and
:class:`~tra_assess.sources.answers.Response` (one respondent's answers, with a location for
each problem), with the ``tra-answers/1`` document itself (and the fast YAML reader
``yamlfast``, the JSON schema in ``schema``). ``inputs`` finds inputs in files, folders and
stdin; ``options`` holds the reading options (``--label``, ``--column``, ``--encoding``,
``--assessed-on``); survey-platform exports (CSV, TSV, xlsx) are read by the
:mod:`tra_assess.sources.exports` package; filled-in xlsx forms by ``forms`` (written by
``form_xlsx``); blank answer sheets come from ``sheets``.

May import: :mod:`tra_assess.questionnaire` and :mod:`tra_assess.common`.
"""
