"""What the keyboard tests share: moving focus with keys, where focus is and whether it
shows, what live regions said, and a server that holds htmx answers back."""

import re

from playwright.sync_api import expect


def is_focused(locator):
    # A selector, not evaluate(): it answers at once, with JavaScript off too.
    return locator.and_(locator.page.locator(":focus")).count() == 1


def tab_to(page, locator, key="Tab", limit=90):
    """Press Tab (or Shift+Tab) until `locator` has focus; the number of presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if is_focused(locator):
            return presses
    raise AssertionError(f"{limit} × {key} never reached {locator}")


def focus_is_visible(locator):
    """The element has focus and draws the site's focus outline (JavaScript on or off)."""
    expect(locator).to_be_focused()
    expect(locator).to_have_css("outline-style", "solid")
    expect(locator).to_have_css("outline-width", "3px")
    return True


def in_viewport(locator):
    box = locator.bounding_box()
    height = locator.page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def record_live_region(page, selector):
    """Keep every text the region takes from now on (window.__live[selector])."""
    page.evaluate(
        """selector => {
            window.__live = window.__live || {};
            const texts = window.__live[selector] = [];
            const region = document.querySelector(selector);
            new MutationObserver(() => {
                const text = region.textContent.trim();
                if (text && texts[texts.length - 1] !== text) texts.push(text);
            }).observe(region, { childList: true, subtree: true, characterData: true });
        }""",
        selector,
    )


def live_texts(page, selector):
    return page.evaluate("selector => window.__live[selector]", selector)


class SlowServer:
    """Holds back the htmx requests whose URL matches, until release(): a slow answer."""

    def __init__(self, page, url, holding=True):
        # Set up before the page is opened: a route added just before a key press may
        # not be in force yet in the browser, and the request would pass unseen.
        self.page = page
        self.requests = []
        self.held = []
        self.holding = holding
        page.route(url, self._route)

    def hold(self):
        """From now on, hold the matching htmx requests back (counted afresh)."""
        self.requests = []
        self.holding = True

    def _route(self, route):
        if route.request.headers.get("hx-request") != "true":
            route.continue_()
            return
        self.requests.append(route.request)
        if self.holding:
            self.held.append(route)
        else:
            route.continue_()

    def wait_for_request(self, count=1):
        for _ in range(400):
            if len(self.requests) >= count:
                return
            self.page.wait_for_timeout(25)
        raise AssertionError(f"{count} request(s) expected, {len(self.requests)} came")

    def release(self):
        self.holding = False
        held, self.held = self.held, []
        for route in held:
            route.continue_()


def htmx_requests(page, pattern):
    """A list that fills with the htmx requests whose URL matches."""
    seen = []
    page.on(
        "request",
        lambda request: (
            request.headers.get("hx-request") == "true"
            and re.search(pattern, request.url)
            and seen.append(request.url)
        ),
    )
    return seen
