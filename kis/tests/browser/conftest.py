"""Real-browser tests: Playwright driving Debian's Chromium against the live server.

Where Chromium or axe-core is missing (a developer's fresh laptop) these tests skip
with the reason; CI sets KIS_REQUIRE_BROWSER=1 and then a missing tool is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in this thread; Django would otherwise
# refuse database access from the test code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BASE_DIR = Path(__file__).resolve().parents[3]
# Debian's package, Ubuntu's, the snap: the first found (as bin/lib/system-packages.sh).
CHROMIUM = os.environ.get("KIS_CHROMIUM") or next(
    (
        path
        for path in ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium")
        if Path(path).exists()
    ),
    "/usr/bin/chromium",
)
AXE = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = BASE_DIR / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def _missing() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (bin/setup dev installs it)"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (bin/setup dev installs it)"
    if not AXE.exists():
        return "axe-core not installed (npm install, run by bin/setup dev when npm exists)"
    return None


# Every browser test module starts with this: the live server needs committed data
# (a transactional test, flushed afterwards).
BROWSER_TEST = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The data migrations whose rows (roles, catalogues) a flushed database lacks.
DATA_MIGRATIONS = [
    ("kis.migrations.0001_role_groups", "create_role_groups"),
    ("projects.migrations.0002_budget_categories_and_roles", "seed"),
    ("participants.migrations.0002_catalogues_and_roles", "seed"),
    ("participants.migrations.0004_support_forms_and_roles", "seed"),
    ("participants.migrations.0006_fill_codes", "fill"),
    ("participants.migrations.0010_fill_dropout_reason_codes", "fill"),
    ("participants.migrations.0012_outcomes", "grant"),
    ("projects.migrations.0008_outcomes", "grant"),
    ("projects.migrations.0011_accountant_role", "grant"),
    ("reports.migrations.0002_roles", "grant"),
]


@pytest.fixture(scope="session", autouse=True)
def plain_http_live_server():
    """The live server speaks plain HTTP (it has no TLS) and serves static files from the
    apps' folders by their plain names (pytest-django's StaticFilesHandler knows no
    hashed names): for the browser, no HTTPS redirect, no cookies sent over HTTPS only,
    and the plain static storage. Session-wide, as the server reads them when it starts."""
    from django.test import override_settings

    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        STORAGES={**settings.STORAGES, "staticfiles": plain_static},
    ):
        yield


@pytest.fixture(autouse=True)
def migrated_data(transactional_db):
    """Re-create what the data migrations made: a transactional test's flush (of the
    previous browser test) removed it. Each of these functions is idempotent."""
    import importlib

    from django.apps import apps

    for module, function in DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture(scope="session")
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("KIS_REQUIRE_BROWSER") == "1":  # CI: the browser tests must run
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        locale="pl-PL",
        timezone_id="Europe/Warsaw",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
        # The app's CSP forbids inline scripts; the axe checks inject one.
        bypass_csp=True,
        base_url=live_server.url,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def login(page, username: str, password: str = "correct-horse-battery-staple") -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Nazwa użytkownika").fill(username)
    page.get_by_label("Hasło").fill(password)
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url("**/")


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    """Serious and critical WCAG 2.1 A/AA violations on the current page."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
