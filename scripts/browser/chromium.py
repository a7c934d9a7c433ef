"""Headless Chromium for the browser tests, and how a failed run is reported."""

import sys
from typing import Callable

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service


def browser(chromium: str, chromedriver: str, profile: str) -> webdriver.Chrome:
    """Headless Chromium with the binaries given (Selenium Manager is never asked) and
    nothing of Chromium's own reaching out: the tests use loopback only."""
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new",
        "--no-sandbox",  # running as root
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--window-size=900,680",
        "--force-device-scale-factor=1",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))


def run_reported(
    driver: webdriver.Chrome,
    run: Callable[[], None],
    failures: tuple,
    failure_screenshot: str | None,
) -> bool:
    """Runs `run`, then quits the browser. On a failure (one of `failures`, or a
    WebDriver error) prints it, the page's console errors and where its screenshot
    went."""
    try:
        run()
        return True
    except (*failures, WebDriverException) as e:
        print(f"FAILED: {e}", file=sys.stderr)
        if failure_screenshot:
            try:
                driver.save_screenshot(failure_screenshot)
                print(f"the page as it was: {failure_screenshot}", file=sys.stderr)
            except WebDriverException:
                pass
        try:
            for entry in driver.get_log("browser"):
                if entry.get("level") == "SEVERE":
                    print(f"console: {entry.get('message')}", file=sys.stderr)
        except WebDriverException:
            pass
        return False
    finally:
        driver.quit()
