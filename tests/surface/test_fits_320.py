"""Every page fits a 320 px screen in Spanish, English and Portuguese: the document is
never wider than the viewport (a wide table may scroll inside its own frame).

Walks every GET route (public pages as a visitor and again as staff, the others signed in
as staff holding every role), ids from the demo, in one browser with one page per language and role.
``SCREENSHOTS=<folder>`` also saves a full-page screenshot of each into a gallery
(``make screenshots``)."""
import html
import os
import time
from pathlib import Path

import pytest

from tests.surface.pages import budget_year_pages, dataset_pages, make_staff, pages, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_fits_320")]

WIDTH = 320
LANGUAGES = ("es", "en", "pt")
GALLERY = os.environ.get("SCREENSHOTS")

# The widest elements that stick out of the viewport, outside any frame that scrolls or clips.
CULPRITS = """() => {
  const width = innerWidth, found = [];
  const framed = el => {  /* a scrolling frame clips it (not an absolute box whose containing block is outside) */
    const loose = ['absolute', 'fixed'].includes(getComputedStyle(el).position);
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (style.overflowX !== 'visible' && (!loose || style.position !== 'static')) { return true; }
      if (loose && style.position !== 'static') { return false; }
    } return false; };
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && !framed(el)) {
      const name = typeof el.className === 'string' ? el.className.trim() : '';
      const cls = name ? '.' + name.split(/\\s+/).join('.') : '';
      const words = (el.innerText || '').trim().slice(0, 40);
      found.push(`${el.tagName.toLowerCase()}${cls} → ${Math.round(box.right)}px «${words}»`);
    }
  }
  return found.slice(-4);
}"""


def _slug(url):
    return url.strip("/").replace("/", "_").replace("?", "_").replace("=", "-") or "home"


def _write_gallery(folder: Path, shots):
    rows = []
    for url, role, language, name, width in shots:
        flag = f" <strong>{width} px wide</strong>" if width > WIDTH else ""
        rows.append(f'<figure><figcaption><code>{html.escape(url)}</code> · {language} · {role}{flag}</figcaption>'
                    f'<a href="{name}"><img src="{name}" loading="lazy" width="{WIDTH}" alt=""></a></figure>')
    folder.joinpath("index.html").write_text(
        "<!doctype html><meta charset='utf-8'><title>Cabildo at 320 px</title>"
        "<style>body{font-family:sans-serif;margin:1rem}figure{display:inline-block;vertical-align:top;"
        "margin:0 1rem 2rem 0;width:330px}figcaption{font-size:12px;word-break:break-all;min-height:3em}"
        "img{border:1px solid #999}</style>"
        f"<h1>Cabildo at {WIDTH} px: {len(shots)} pages</h1>" + "\n".join(rows), encoding="utf-8")


@pytest.fixture(scope="module")
def visitors(browser, live_app, live_server):
    """A page per (role, language) at 320 px; staff signed in."""
    email = f"fits-{os.getpid()}-{time.time_ns()}@example.org"
    make_staff(live_app, email)
    opened, contexts = {}, []
    for role in ("anonymous", "staff"):
        for language in LANGUAGES:
            context = browser.new_context(viewport={"width": WIDTH, "height": 640}, device_scale_factor=1,
                                          locale="es-SV", service_workers="block")
            contexts.append(context)
            page = context.new_page()
            if role == "staff":
                sign_in(page, live_server, email)
            context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
            opened[role, language] = page
    yield opened
    for context in contexts:
        context.close()


def test_every_page_fits_320_px_in_every_language(visitors, live_app, live_server):
    targets = pages(live_app, extra=budget_year_pages(live_app) + dataset_pages())
    assert len(targets) >= 90, len(targets)
    folder = Path(GALLERY) if GALLERY else None
    if folder:
        folder.mkdir(parents=True, exist_ok=True)
    wide, broken, shots = {}, {}, []
    visits = [(target, target.role) for target in targets]
    # staff see public pages with their management links and edit columns: those must fit too
    visits += [(target, "staff") for target in targets if target.role == "anonymous"]
    for target, role in visits:
        for language in LANGUAGES:
            page = visitors[role, language]
            response = page.goto(live_server + target.url)
            if response is None or "text/html" not in response.headers.get("content-type", ""):
                continue
            if response.status >= 500:
                broken[target.url, language, role] = response.status
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > page.evaluate("innerWidth"):
                wide[f"{target.url} [{language}, {role}]"] = (width, page.evaluate(CULPRITS))
            if folder and role == target.role:
                name = f"{_slug(target.url)}.{language}.png"
                page.screenshot(path=str(folder / name), full_page=True)
                shots.append((target.url, target.role, language, name, width))
    if folder:
        _write_gallery(folder, shots)
    assert not broken, broken
    assert not wide, "\n".join(f"{url}: {width} px; {culprits}" for url, (width, culprits) in sorted(wide.items()))
