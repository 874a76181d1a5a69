"""The newsletter e-mail as a reader sees it: article.email.html and article.html opened in headless
Chromium (Debian's, driven by Playwright) show the same stories, times and links, and the e-mail keeps
its look with no style sheet to lean on."""

from __future__ import annotations

import importlib.util
import os
import shutil

import pytest
from conftest import ScriptedTranscriber

from recap.app.pipeline import Pipeline
from recap.core.options import Overrides, RunOptions

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# The flags keep a browser on a closed network from calling home at every start.
QUIET_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE_WIDTH = 360


def _playwright():
    if CHROMIUM is None or importlib.util.find_spec("playwright") is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs Debian's chromium and the test extra's playwright (.ci/run)")
        pytest.skip("no chromium or playwright here (apt-get install chromium; pip install -e '.[test]')")
    from playwright.sync_api import sync_playwright
    return sync_playwright


@pytest.fixture(scope="module")
def article(samples, tmp_path_factory):
    out = tmp_path_factory.mktemp("browser") / "out"
    options = RunOptions(out_dir=out, formats=("html", "email"), link_pages=False,
                         cache_dir=out.parent / "cache", overrides=Overrides(
                             description_file=samples / "tensor_weekly_12.description.txt",
                             url="https://example.com/tensor_weekly_12.mp4"))
    script = (samples / "tensor_weekly_12.txt").read_text()
    Pipeline(options, transcriber=ScriptedTranscriber(script, step=0.35)).run(
        str(samples / "tensor_weekly_12.mp4"))
    return out


READ_PAGE = """() => {
  const text = (nodes) => [...nodes].map((node) => node.innerText.trim());
  const px = (node) => parseFloat(getComputedStyle(node).fontSize);
  const h3 = document.querySelector('h3'), p = document.querySelector('h3 ~ p:not(.time):not(.deck)');
  return {
    headings: text(document.querySelectorAll('h3')),
    times: [...document.querySelectorAll('a[href*="#t="]')].map((a) => a.innerText.replace(/\\D+/g, ' ')),
    links: [...document.querySelectorAll('a[href^="http"]')].map((a) => a.href)
      .filter((href) => !href.includes('#t=')),
    title_px: px(document.querySelector('h1')), heading_px: px(h3), text_px: px(p),
    heading_weight: parseInt(getComputedStyle(h3).fontWeight),
    overflow: document.documentElement.scrollWidth - window.innerWidth,
  };
}"""


def _read(browser, path, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.route("**/*", lambda route: route.abort() if route.request.url.startswith("http")
               else route.continue_())  # pictures from the web stay out: the page alone is judged
    page.goto(path.as_uri())
    seen = page.evaluate(READ_PAGE)
    page.close()
    return seen


def test_the_email_shows_what_the_web_article_shows_and_keeps_its_look(article):
    with _playwright()() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=QUIET_FLAGS)
        web = _read(browser, article / "article.html", 1000)
        email = _read(browser, article / "article.email.html", 600)
        phone = _read(browser, article / "article.email.html", PHONE_WIDTH)
        browser.close()

    assert len(email["headings"]) >= 3 and email["headings"] == web["headings"]
    assert email["times"] and sorted(set(email["times"])) == sorted(set(web["times"]))
    assert set(email["links"]) == set(web["links"])
    assert "https://github.com/xl0/lovely-tensors" in email["links"]
    # Inlined styles survive: a title above headings above text, headings bold.
    assert email["title_px"] > email["heading_px"] > email["text_px"] and email["heading_weight"] >= 600
    assert email["overflow"] <= 0 and phone["overflow"] <= 0  # no sideways scrolling, on a phone either
