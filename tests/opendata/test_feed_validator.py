"""Every Atom feed checked with the W3C Feed Validation Service's own validator: no error
and no warning (an entry without a summary, entries sharing an ``updated``, ...), on the
site feed, each municipality's feed and each of its topic feeds; summaries in the feed's
language; distinct, truthful timestamps."""
import importlib
import re
import sys
import urllib.request  # noqa: F401  (the validator uses urllib.request without importing it)
import warnings

import feedparser
import pytest

from portal.opendata import services
from tests.opendata.test_catalog import LOCAL


@pytest.fixture(scope="session")
def feedvalidator(standards):
    folder = standards / "feedvalidator"
    sys.path.insert(0, str(folder))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module = importlib.import_module("feedvalidator")
            logging = importlib.import_module("feedvalidator.logging")
    finally:
        sys.path.remove(str(folder))
    return module, (logging.Warning, logging.Error)


def problems(feedvalidator, body: str, url: str) -> list[str]:
    """The validator's errors and warnings, as the online service shows them."""
    module, kinds = feedvalidator
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        events = module.validateString(body, firstOccurrenceOnly=1, base=LOCAL + url)["loggedEvents"]
    return [f"{type(e).__name__} {e.params.get('element', '')} line {e.params.get('line')}: "
            f"{e.params.get('value', '')}" for e in events if isinstance(e, kinds)]


def feed_urls(db):
    from portal.municipalities.models import Municipality

    yield "/feed.atom"
    for slug in db.session.execute(db.select(Municipality.slug).order_by(Municipality.slug)).scalars():
        yield f"/m/{slug}/feed.atom"
        for topic in sorted(services.topics()):
            yield f"/m/{slug}/feed/{topic}.atom"


def test_the_validator_sees_what_it_should(client, muni, feedvalidator):
    body = client.get("/m/intipuca/feed.atom").get_data(as_text=True)
    stripped = re.sub(r"<summary[^>]*>.*?</summary>", "", body)
    same_time = re.sub(r"<updated>[^<]*</updated>", "<updated>2026-01-01T00:00:00Z</updated>", body)
    assert any(p.startswith("MissingTextualContent") for p in problems(feedvalidator, stripped, "/m/intipuca/feed.atom"))
    assert any(p.startswith("DuplicateUpdated") for p in problems(feedvalidator, same_time, "/m/intipuca/feed.atom"))


def test_every_feed_has_no_error_nor_warning(client, db, muni, feedvalidator):
    checked = 0
    for url in feed_urls(db):
        response = client.get(url)
        assert response.status_code == 200, url
        assert problems(feedvalidator, response.get_data(as_text=True), url) == [], url
        checked += 1
    assert checked >= 1 + 2 * (1 + len(services.topics()))


@pytest.mark.parametrize("language,words", [("es", ("en", "Datos abiertos actualizados")),
                                            ("en", ("in", "Open data updated")),
                                            ("pt", ("em", "Dados abertos atualizados"))])
def test_every_entry_has_a_summary_in_the_feeds_language(client, muni, feedvalidator, language, words):
    response = client.get("/m/intipuca/feed.atom", headers={"Accept-Language": language})
    assert problems(feedvalidator, response.get_data(as_text=True), "/m/intipuca/feed.atom") == []
    parsed = feedparser.parse(response.get_data())
    assert parsed.feed.language == language
    preposition, data_words = words
    assert parsed.entries
    for entry in parsed.entries:
        assert entry.summary.startswith("Intipucá ") and f" {preposition} " in entry.summary, entry.summary
        assert not re.search(rf" {preposition} (finance|budgeting|surveys|compare|complaints|roadmap)\.",
                             entry.summary), entry.summary
    assert any(data_words in entry.summary for entry in parsed.entries)
    if language == "en":
        assert any("Open data updated: Budget lines" in entry.summary for entry in parsed.entries)


def test_changes_in_the_same_second_keep_distinct_truthful_times(client, db, muni, feedvalidator):
    from portal.audit.models import ChangeRecord
    from portal.audit.services import acting_as
    from portal.finance.models import BudgetLine

    lines = db.session.execute(db.select(BudgetLine).filter_by(municipality_id=muni.id).limit(2)).scalars().all()
    for number, line in enumerate(lines):
        with acting_as("editor" if number else "publisher"):
            line.name = line.name + " (revisado)"
            db.session.flush()
    records = db.session.execute(db.select(ChangeRecord).filter_by(municipality_id=muni.id)
                                 .order_by(ChangeRecord.id.desc()).limit(2)).scalars().all()
    body = client.get("/m/intipuca/feed/finance.atom").get_data(as_text=True)
    assert problems(feedvalidator, body, "/m/intipuca/feed/finance.atom") == []
    stamps = re.findall(r"<entry>.*?<updated>([^<]*)</updated>", body)
    assert len(stamps) == len(set(stamps))
    for record in records:
        expected = record.created_at.isoformat(timespec="microseconds" if record.created_at.microsecond
                                                else "seconds") + "Z"
        assert expected in stamps, (expected, stamps[:3])
