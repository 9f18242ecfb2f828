"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live server.

Screenshots: every test may call `shot(name)`; a failing test always leaves one, in
tests/e2e/artifacts/. Never `playwright install`: the browser is the system's chromium.
"""

import os
import shutil
from pathlib import Path

import pytest

from conftest import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 375, "height": 812}}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        pytest.fail("找不到 Chromium：请运行 ./scripts/test，它会用 apt 安装 chromium。")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(params=["desktop"])
def viewport(request):
    return request.param


@pytest.fixture
def page(browser, viewport, request):
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN", is_mobile=viewport == "phone")
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"FAILED-{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


@pytest.fixture
def shot(page, request, viewport):
    def take(name: str):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.originalname}-{viewport}-{name}.png"), full_page=True)

    return take


@pytest.fixture
def login(page, live_server):
    def do(username: str, password: str = PASSWORD):
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")

    return do
