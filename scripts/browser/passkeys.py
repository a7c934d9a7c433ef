#!/usr/bin/env python3
"""Drives the passkeys example's page in headless Chromium through WebDriver.

A WebDriver virtual authenticator (CTAP2, internal, resident keys, user verification)
stands in for the platform's passkey store. In the page: sign in with the password,
register a passkey, sign out, sign in with the passkey; then check the signed-in page,
that the authenticator holds one credential whose sign count went up, and that the page
cannot read its session cookie. Saves a screenshot of the signed-in page.

Run by scripts/test-browser.sh, which starts `passkeys --serve` and passes its URL.
Exits non-zero on any failure.
"""

import argparse
import re
import sys
import time

from chromium import browser, run_reported
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.virtual_authenticator import (
    Protocol,
    Transport,
    VirtualAuthenticatorOptions,
)
from selenium.webdriver.support.ui import WebDriverWait

USERNAME = "alice"
PASSWORD = "Corr3ct-horse!"
# header.payload.signature, each base64url; a JSON header starts `eyJ`.
JWT = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]+")


class Failure(Exception):
    """A step did not end as it should."""


def settle(driver: webdriver.Chrome, what: str, done, timeout: float = 20) -> None:
    """Waits until the page is idle and `done(driver)` holds; fails at once on an error
    the page shows."""

    def check(d):
        if d.execute_script("return document.body.dataset.busy") != "0":
            return False
        error = d.find_element(By.ID, "error")
        if error.is_displayed():
            raise Failure(f"{what}: the page shows an error: {error.text}")
        return done(d)

    try:
        WebDriverWait(driver, timeout, poll_frequency=0.05).until(check)
    except TimeoutException:
        status = driver.find_element(By.ID, "status").text
        raise Failure(f"{what}: not done after {timeout} s (status: {status!r})") from None


def text(driver: webdriver.Chrome, element_id: str) -> str:
    return driver.find_element(By.ID, element_id).text


def shown(element_id: str):
    return lambda d: d.find_element(By.ID, element_id).is_displayed()


def headline_is(expected: str):
    return lambda d: shown("signed-in")(d) and text(d, "headline") == expected


def passkey_rows(driver: webdriver.Chrome) -> int:
    return len(driver.find_elements(By.CSS_SELECTOR, "#passkeys tbody tr"))


def step(name: str) -> None:
    print(f"- {name}", flush=True)


def run(driver: webdriver.Chrome, args: argparse.Namespace) -> None:
    step(f"open {args.url}")
    driver.get(args.url)
    settle(driver, "loading the page", shown("signed-out"))
    if driver.find_element(By.ID, "warning").is_displayed():
        raise Failure(f"the page warns: {text(driver, 'warning')}")

    # The platform's passkey store, as WebDriver's WebAuthn extension provides it.
    driver.add_virtual_authenticator(
        VirtualAuthenticatorOptions(
            protocol=Protocol.CTAP2,
            transport=Transport.INTERNAL,
            has_resident_key=True,
            has_user_verification=True,
            is_user_verified=True,
        )
    )

    step("sign in with the password")
    username = driver.find_element(By.ID, "username")
    username.clear()
    username.send_keys(USERNAME)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "password-sign-in").click()
    settle(driver, "password sign-in", headline_is(f"Signed in with a password as {USERNAME}"))

    step("register a passkey")
    driver.find_element(By.ID, "register").click()
    settle(driver, "passkey registration", lambda d: passkey_rows(d) == 1)
    credentials = driver.get_credentials()
    if len(credentials) != 1:
        raise Failure(f"the authenticator holds {len(credentials)} credentials, not 1")
    registered = credentials[0]
    if registered.rp_id != "localhost" or not registered.is_resident_credential:
        raise Failure(
            f"unexpected credential: rp {registered.rp_id!r}, "
            f"resident {registered.is_resident_credential}"
        )
    print(f"  the authenticator holds one passkey for localhost, sign count {registered.sign_count}")

    step("sign out")
    driver.find_element(By.ID, "sign-out").click()
    settle(driver, "sign-out", shown("signed-out"))

    step("sign in with the passkey")
    driver.find_element(By.ID, "passkey-sign-in").click()
    expected = f"Signed in with a passkey as {USERNAME}"
    settle(driver, "passkey sign-in", headline_is(expected))

    step("check the signed-in page")
    expiry = text(driver, "expiry")
    if "expire at" not in expiry:
        raise Failure(f"no token expiry shown: {expiry!r}")
    if passkey_rows(driver) != 1:
        raise Failure(f"{passkey_rows(driver)} passkeys listed, not 1")
    credentials = driver.get_credentials()
    if len(credentials) != 1 or credentials[0].id != registered.id:
        raise Failure(f"the authenticator's credentials changed: {len(credentials)}")
    if credentials[0].sign_count <= registered.sign_count:
        raise Failure(
            f"the sign count did not go up: {registered.sign_count} -> {credentials[0].sign_count}"
        )
    if driver.execute_script("return document.cookie") != "":
        raise Failure("the page can read a cookie; the session cookie must be HttpOnly")
    if JWT.search(driver.page_source):
        raise Failure("the page holds something that looks like a JWT")
    print(f"  {expected}; {expiry}")
    print(f"  sign count {registered.sign_count} -> {credentials[0].sign_count}")

    driver.save_screenshot(args.screenshot)
    print(f"  screenshot: {args.screenshot}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the page, http://localhost:PORT")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    parser.add_argument("--profile", required=True, help="a new, empty profile folder")
    parser.add_argument("--screenshot", required=True, help="PNG of the signed-in page")
    parser.add_argument("--failure-screenshot", help="PNG of the page when a step fails")
    args = parser.parse_args()

    started = time.monotonic()
    driver = browser(args.chromium, args.chromedriver, args.profile)
    if not run_reported(driver, lambda: run(driver, args), (Failure,), args.failure_screenshot):
        return 1
    print(f"passkeys in Chromium: every step passed in {time.monotonic() - started:.1f} s")
    return 0

if __name__ == "__main__":
    sys.exit(main())
