"""The gates the other journeys rely on catch what they claim to catch."""
from playwright.sync_api import Page


def test_an_inline_script_is_blocked_and_reported_as_a_csp_violation(page: Page, live_server, browser_watch):
    # given: a shop page under its Content-Security-Policy
    page.goto(f"{live_server}/en-gb/")

    # when: something injects an inline script, as an XSS would
    page.evaluate("""() => {
        const script = document.createElement('script');
        script.textContent = 'window.injected = true';
        document.body.append(script);
    }""")
    for _ in range(50):
        if browser_watch.violations:
            break
        page.wait_for_timeout(50)

    # then: it did not run, and the journey's watch saw the violation (cleared here, else the test fails)
    assert page.evaluate("window.injected === undefined")
    assert any("script-src" in violation for violation in browser_watch.violations), browser_watch.violations
    browser_watch.violations.clear()
