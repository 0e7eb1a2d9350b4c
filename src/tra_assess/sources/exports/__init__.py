"""Survey-platform exports (SPEC section 5): CSV, TSV and xlsx tables read row by row or in
blocks. ``csvtext`` decodes text and yields located CSV records (resynchronising after a
broken row), ``xlsx`` and ``workbook`` stream a workbook's cells within bounds, ``layout``
matches headers to items and recognises each platform's layout, ``dates`` reads platform
time stamps, ``tables`` turns rows into :class:`~tra_assess.sources.answers.Response`
records (``long`` for one row per answer), ``blocks`` gathers wide rows column by column and
``fastcsv`` locates and codes the cells of large plain CSV regions with numpy.

May import: the rest of :mod:`tra_assess.sources`, :mod:`tra_assess.questionnaire` and
:mod:`tra_assess.common`.
"""
