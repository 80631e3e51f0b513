"""schema.org JSON-LD on the municipality's home (GovernmentOrganization and dated Events)
and on each dataset page (Dataset with DataDownloads), checked against the properties
Google's Dataset and Event documentation require and recommend, and safe against text
that tries to close the script element."""
import json
import re
from datetime import date

import pytest

from portal.opendata import datasets
from tests.opendata.test_catalog import LOCAL, fetch

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EVENT_STATUSES = {f"https://schema.org/Event{s}" for s in ("Scheduled", "Cancelled", "MovedOnline", "Postponed",
                                                           "Rescheduled")}


def json_ld(html: str) -> list:
    blocks = SCRIPT.findall(html)
    assert blocks, "the page carries JSON-LD"
    return [json.loads(block) for block in blocks]


def check_organization(node):
    assert node["@type"] == "GovernmentOrganization"
    assert node["name"] and node["url"].startswith(LOCAL)


def check_place(node):
    assert node["@type"] == "Place" and node["name"]
    assert node["address"]["@type"] == "PostalAddress" and len(node["address"]["addressCountry"]) == 2


def check_event(node):
    assert node["@type"] == "Event"
    assert node["name"] and ISO_DATE.match(node["startDate"])
    if "endDate" in node:
        assert date.fromisoformat(node["endDate"]) >= date.fromisoformat(node["startDate"])
    assert node["eventStatus"] in EVENT_STATUSES
    kinds = {place["@type"] for place in node["location"]}
    assert kinds == {"VirtualLocation", "Place"}
    for place in node["location"]:
        if place["@type"] == "Place":
            check_place(place)
        else:
            assert place["url"].startswith(LOCAL)
    check_organization(node["organizer"])


def check_dataset(client, node):
    """Google's Dataset documentation: name and description required (description 50 to
    5,000 characters); url, identifier, license, creator, distribution, temporalCoverage,
    spatialCoverage recommended."""
    assert node["@context"] == "https://schema.org" and node["@type"] == "Dataset"
    assert node["name"] and 50 <= len(node["description"]) <= 5000
    assert node["url"].startswith(LOCAL) and node["identifier"]
    assert node["license"].startswith("https://")
    check_organization(node["creator"])
    assert re.match(r"^\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}$", node["temporalCoverage"])
    start, end = node["temporalCoverage"].split("/")
    assert start <= end
    check_place(node["spatialCoverage"])
    assert node["distribution"]
    for download in node["distribution"]:
        assert download["@type"] == "DataDownload"
        assert "/" in download["encodingFormat"]
        answer = fetch(client, download["contentUrl"])
        assert answer.get_data(), download  # read the whole (streamed) download
        assert answer.status_code == 200 and answer.mimetype == download["encodingFormat"], download


def test_home_carries_the_organization_and_its_dated_events(client, muni):
    (document,) = json_ld(client.get("/m/intipuca/").get_data(as_text=True))
    assert document["@context"] == "https://schema.org"
    organization, *events = document["@graph"]
    check_organization(organization)
    check_place(organization["areaServed"])
    assert organization["name"] == "Intipucá"
    assert events, "the demo has published participatory budgeting and surveys"
    for event in events:
        check_event(event)
    urls = {event["url"] for event in events}
    assert any("/presupuesto/" in url for url in urls) and any("/encuestas/" in url for url in urls)
    for url in urls:
        assert fetch(client, url).status_code == 200, url


def test_events_follow_the_process_and_survey_dates(client, db, muni):
    from portal.participation.surveys.models import Survey

    survey = db.session.execute(db.select(Survey).filter_by(municipality_id=muni.id, status="published")
                                .order_by(Survey.id)).scalars().first()
    (document,) = json_ld(client.get("/m/intipuca/").get_data(as_text=True))
    found = [e for e in document["@graph"] if e.get("url", "").endswith(f"/encuestas/{survey.id}/")]
    assert len(found) == 1
    assert found[0]["name"] == survey.title
    assert found[0]["startDate"] == survey.opens_on.isoformat()
    assert found[0]["endDate"] == survey.close_date.isoformat()


@pytest.mark.parametrize("key", [d.key for d in datasets.all_datasets()])
def test_dataset_pages_carry_a_dataset_for_search_engines(client, muni, key):
    (document,) = json_ld(client.get(f"/m/intipuca/datos/{key}").get_data(as_text=True))
    check_dataset(client, document)
    assert document["url"] == f"{LOCAL}/m/intipuca/datos/{key}"
    assert len(document["distribution"]) == 6


def test_dataset_names_follow_the_page_language(client, muni):
    (document,) = json_ld(client.get("/m/intipuca/datos/presupuesto",
                                     headers={"Accept-Language": "en"}).get_data(as_text=True))
    assert document["name"] == "Intipucá: Budget lines"


HOSTILE = 'Villa </script><script>alert("x")</script> & <!-- «Ñ» </SCRIPT >'


def test_user_text_cannot_close_the_script_element(client, db, muni):
    from portal.participation.surveys.models import Survey

    survey = db.session.execute(db.select(Survey).filter_by(municipality_id=muni.id, status="published")
                                .order_by(Survey.id)).scalars().first()
    muni.name = HOSTILE
    survey.title = HOSTILE
    db.session.flush()
    for url in ("/m/intipuca/", "/m/intipuca/datos/presupuesto"):
        html = client.get(url).get_data(as_text=True)
        blocks = SCRIPT.findall(html)
        assert blocks, url
        for block in blocks:
            assert "<" not in block and ">" not in block, block[:200]
        document = json.loads(blocks[0])
        texts = json.dumps(document, ensure_ascii=False)
        assert HOSTILE.replace('"', '\\"') in texts, url
        assert '<script>alert("x")' not in html
    (home,) = json_ld(client.get("/m/intipuca/").get_data(as_text=True))
    assert home["@graph"][0]["name"] == HOSTILE
    assert any(e.get("name") == HOSTILE for e in home["@graph"][1:])


def schema_org_terms_used(node, found=None) -> set[str]:
    """Every type, property and enumeration member (``https://schema.org/EventScheduled``)
    a JSON-LD document names."""
    found = set() if found is None else found
    if isinstance(node, list):
        for item in node:
            schema_org_terms_used(item, found)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@type":
                found.update(value if isinstance(value, list) else [value])
            elif not key.startswith("@"):
                found.add(key)
            schema_org_terms_used(value, found)
    elif isinstance(node, str) and node.startswith("https://schema.org/"):
        found.add(node.removeprefix("https://schema.org/"))
    return found


def test_every_term_is_in_the_schema_org_vocabulary(client, muni):
    """Against the vocabulary itself (the schema.org terms rdflib ships): a misspelt type,
    property or enumeration member would be ignored by every search engine."""
    from rdflib.namespace import SDO

    vocabulary = set(SDO.__annotations__)
    assert {"Dataset", "DataDownload", "Event", "encodingFormat"} <= vocabulary and "encodingformat" not in vocabulary
    used = set()
    for url in ("/m/intipuca/", *(f"/m/intipuca/datos/{d.key}" for d in datasets.all_datasets())):
        for document in json_ld(client.get(url).get_data(as_text=True)):
            used |= schema_org_terms_used(document)
    assert {"GovernmentOrganization", "Dataset", "DataDownload", "Event", "distribution"} <= used
    assert used - vocabulary == set()
