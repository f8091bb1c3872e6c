"""The browser check of tests/test_browser.py for the API reference pages (api/*.html).

A file of its own so that pytest-xdist (``--dist loadfile``) runs it on the other worker than the
chapters' browser check; the checks are the same (``test_browser.check_page``).
"""
import pytest

from test_browser import PAGES, check_page, context, tab  # noqa: F401  (fixtures; browser and server: conftest)

API_PAGES = [p for p in PAGES if p.startswith("api/")]


@pytest.mark.parametrize("page_rel", API_PAGES or ["(no build)"])
def test_api_page_in_browser(tab, server, page_rel):  # noqa: F811
    check_page(tab, server, page_rel)
