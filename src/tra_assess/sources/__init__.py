"""Reading answers (SPEC section 5). The records every reader hands the scorer are in
``answers``: :class:`~tra_assess.sources.answers.Source` (one input) and
:class:`~tra_assess.sources.answers.Response` (one respondent's answers, with a location for
each problem), with the ``tra-answers/1`` document itself (and the fast YAML reader
``yamlfast``, the JSON schema in ``schema``). ``inputs`` finds inputs in files, folders and
stdin and says what kind each is; one module per kind reads it: ``documents`` a YAML/JSON
answers document, the :mod:`tra_assess.sources.exports` package a table, ``forms`` a filled-in
form. ``options`` holds the reading options (``--label``, ``--column``, ``--encoding``,
``--assessed-on``); xlsx forms are written by ``form_xlsx`` and HTML forms by ``form_html``;
blank answer sheets come from ``sheets``.

May import: :mod:`tra_assess.questionnaire` and :mod:`tra_assess.common`.
"""
