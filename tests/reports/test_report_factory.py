"""The report-test factory itself: valid results, and a template cache that only accelerates."""

from __future__ import annotations

import pytest

from report_factory import make_results, template_cache_dir
from tra_assess.results.model import Results


def test_factory_builds_valid_results() -> None:
    results = make_results()
    again = Results.model_validate_json(results.model_dump_json())
    assert again == results
    assert results.domain("alpha").capped_by == ["alpha.two"]


def test_template_cache_is_only_an_accelerator(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tra_assess.reports.render import render_report

    cache = template_cache_dir(tmp_path_factory)
    first = render_report(make_results(), fmt="html")
    cached = sorted((cache / "tra-assess" / "templates").glob("*.cache"))
    assert cached
    for path in cached:
        path.write_bytes(b"garbage")
    assert render_report(make_results(), fmt="html") == first
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache / "unused"))
    monkeypatch.setenv("TRA_ASSESS_NO_CACHE", "1")
    assert render_report(make_results(), fmt="html") == first
    assert not (cache / "unused").exists()
