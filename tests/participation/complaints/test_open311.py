"""Open311 GeoReport v2: every call of the specification, in XML and JSON, with its own examples."""
import json
import xml.etree.ElementTree as ET
from datetime import timedelta
from decimal import Decimal

import pytest

from portal.core.clock import utcnow

BASE = "/open311/v2"
DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>'
# The specification's exact POST example, with our demo jurisdiction and service code.
SPEC_POST = ("api_key={key}&jurisdiction_id=intipuca&service_code=red-vial&lat=37.76524078&long=-122.4212043"
             "&address_string=1234+5th+street&email=smit333%40sfgov.edu&device_id=tt222111&account_id=123456"
             "&first_name=john&last_name=smith&phone=111111111&description=A+large+sinkhole+is+destroying+the+street"
             "&media_url=http%3A%2F%2Ffarm3.static.flickr.com%2F2002%2F2212426634_5ed477a060.jpg"
             "&attribute[WHISPAWN]=123456&attribute[WHISDORN]=COISL001")
FORM = "application/x-www-form-urlencoded; charset=utf-8"


def xml(response):
    assert response.data.startswith(DECLARATION), response.data[:80]
    assert response.content_type == "text/xml; charset=utf-8"
    return ET.fromstring(response.data)


def as_json(response):
    assert response.content_type == "application/json; charset=utf-8"
    return json.loads(response.data)


def post(client, body, fmt="xml", query=""):
    return client.post(f"{BASE}/requests.{fmt}{query}", data=body, content_type=FORM)


def test_discovery_in_both_formats(client):
    root = xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    endpoint = root.find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url").endswith("/open311/v2")
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]
    assert endpoint.findtext("type") == "production"
    data = as_json(client.get(f"{BASE}/discovery.json"))
    assert data["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    assert data["changeset"] == root.findtext("changeset")


def test_service_list_xml_and_json(client):
    root = xml(client.get(f"{BASE}/services.xml?jurisdiction_id=intipuca"))
    assert root.tag == "services"
    codes = [s.findtext("service_code") for s in root.findall("service")]
    assert "alumbrado" in codes and "registro-familiar" in codes and len(codes) == 9
    lighting = next(s for s in root.findall("service") if s.findtext("service_code") == "alumbrado")
    assert lighting.findtext("service_name") == "Alumbrado público"
    assert lighting.findtext("metadata") == "true" and lighting.findtext("type") == "realtime"
    assert [child.tag for child in lighting] == ["service_code", "service_name", "description", "metadata",
                                                 "type", "keywords", "group"]
    data = as_json(client.get(f"{BASE}/services.json?jurisdiction_id=intipuca"))
    assert isinstance(data, list) and len(data) == 9
    aseo = next(s for s in data if s["service_code"] == "aseo")
    assert aseo["metadata"] is False and isinstance(aseo["service_code"], str)


def test_service_definition_xml_and_json(client):
    root = xml(client.get(f"{BASE}/services/alumbrado.xml?jurisdiction_id=intipuca"))
    assert root.tag == "service_definition" and root.findtext("service_code") == "alumbrado"
    first = root.find("attributes/attribute")
    assert [c.tag for c in first] == ["variable", "code", "datatype", "required", "datatype_description", "order",
                                      "description", "values"]
    assert first.findtext("code") == "falla" and first.findtext("datatype") == "singlevaluelist"
    assert first.findtext("required") == "true" and first.findtext("order") == "1"
    assert [(v.findtext("key"), v.findtext("name")) for v in first.findall("values/value")][0] == \
        ("apagada", "No enciende")
    data = as_json(client.get(f"{BASE}/services/red-vial.json?jurisdiction_id=intipuca"))
    assert data["service_code"] == "red-vial"
    attribute = data["attributes"][0]
    assert attribute["variable"] is True and attribute["datatype"] == "multivaluelist"
    assert attribute["values"][0] == {"key": "bache", "name": "Bache"}
    assert attribute["datatype_description"] is None  # empty -> null
    assert attribute["order"] == 1 and attribute["required"] is False
    missing = client.get(f"{BASE}/services/nada.json?jurisdiction_id=intipuca")
    assert missing.status_code == 404 and as_json(missing)[0]["code"] == 404


def test_the_specifications_post_example(client, api_key, muni):
    from portal.participation.complaints.models import Report

    response = post(client, SPEC_POST.format(key=api_key))
    assert response.status_code == 200, response.data
    root = xml(response)
    assert root.tag == "service_requests"
    request = root.find("request")
    request_id = request.findtext("service_request_id")
    assert request_id.isdigit() and request.find("token") is None
    assert request.find("account_id") is not None and request.findtext("account_id") == ""
    assert "Código de seguimiento" in request.findtext("service_notice")
    from portal.extensions import db

    report = db.session.get(Report, int(request_id))
    assert report.municipality_id == muni.id and report.category.code == "red-vial"
    assert report.lat == Decimal("37.76524078") and report.long == Decimal("-122.4212043")
    assert report.address == "1234 5th street" and report.contact_name == "john smith"
    assert report.contact_email == "smit333@sfgov.edu" and report.contact_phone == "111111111"
    assert report.device_id == "tt222111" and report.account_id == "123456"
    assert report.media_url.startswith("http://farm3.static.flickr.com/")
    assert report.channel == "open311:Test client" and report.status == "received"
    assert report.unit.name == "Unidad de Obras Públicas"  # the category's default unit, as on the web

    # The same call in JSON answers a top-level array with the ID as a string.
    data = as_json(post(client, SPEC_POST.format(key=api_key), fmt="json"))
    assert isinstance(data, list) and isinstance(data[0]["service_request_id"], str)
    assert data[0]["account_id"] is None and "token" not in data[0]


def test_post_errors(client, api_key):
    body = "jurisdiction_id=intipuca&service_code=aseo&address_string=Calle+1"
    for fmt in ("xml", "json"):
        missing = post(client, body, fmt)
        assert missing.status_code == 403
        bad = post(client, body + "&api_key=nope", fmt)
        assert bad.status_code == 403
    error = xml(post(client, body)).find("error")
    assert error.findtext("code") == "403"
    assert error.findtext("description") == "Invalid api_key received -- can't proceed with create_request."
    assert as_json(post(client, body, "json")) == [
        {"code": 403, "description": "Invalid api_key received -- can't proceed with create_request."}]
    key = f"&api_key={api_key}"
    assert post(client, "jurisdiction_id=intipuca&service_code=nada&address_string=x" + key).status_code == 404
    assert post(client, "jurisdiction_id=nowhere&service_code=aseo&address_string=x" + key).status_code == 404
    no_place = post(client, "jurisdiction_id=intipuca&service_code=aseo" + key, "json")
    assert no_place.status_code == 400 and "location" in as_json(no_place)[0]["description"]
    # lighting requires attribute[falla]
    no_answer = post(client, "jurisdiction_id=intipuca&service_code=alumbrado&lat=13.2&long=-88.0" + key)
    assert no_answer.status_code == 400 and xml(no_answer).find("error/code").text == "400"
    wrong = post(client, "jurisdiction_id=intipuca&service_code=alumbrado&lat=13.2&long=-88.0"
                 "&attribute[falla]=rota" + key)
    assert wrong.status_code == 400
    assert post(client, "jurisdiction_id=intipuca&service_code=aseo&lat=95&long=0" + key).status_code == 400
    assert post(client, "service_code=aseo&address_string=x" + key).status_code == 400  # several jurisdictions


def test_post_with_key_in_query_string_and_list_attributes(client, api_key, db):
    from portal.participation.complaints.models import Report

    response = post(client, "jurisdiction_id=intipuca&service_code=red-vial&address_id=PARCEL-7"
                    "&attribute[tipo][]=bache&attribute[tipo][]=drenaje", "json", query=f"?api_key={api_key}")
    assert response.status_code == 200, response.data
    report = db.session.get(Report, int(as_json(response)[0]["service_request_id"]))
    assert report.answers == {"tipo": ["bache", "drenaje"]} and report.address_id == "PARCEL-7"
    lighting = post(client, f"api_key={api_key}&jurisdiction_id=intipuca&service_code=alumbrado"
                    "&address_string=Parque&attribute[falla]=dia&attribute[poste]=P-12")
    assert lighting.status_code == 200
    report = db.session.get(Report, int(xml(lighting).findtext("request/service_request_id")))
    assert report.answers == {"falla": "dia", "poste": "P-12"}


def test_post_is_idempotent_with_a_key(client, api_key):
    body = f"api_key={api_key}&jurisdiction_id=intipuca&service_code=aseo&address_string=x&idempotency_key=abc"
    first = as_json(post(client, body, "json"))[0]["service_request_id"]
    second = as_json(post(client, body, "json"))[0]["service_request_id"]
    assert first == second


def test_request_by_id_and_token(client, api_key, report_factory):
    report = report_factory(description="Calle <sucia> & llena")
    root = xml(client.get(f"{BASE}/requests/{report.id}.xml?jurisdiction_id=intipuca"))
    request = root.find("request")
    assert root.tag == "service_requests" and len(root.findall("request")) == 1
    assert request.findtext("service_request_id") == str(report.id)
    assert request.findtext("status") == "open" and request.findtext("service_code") == "aseo"
    assert request.findtext("description") == "Calle <sucia> & llena"  # escaped, parsed back
    assert request.findtext("requested_datetime").endswith("-06:00")  # America/El_Salvador
    assert request.findtext("agency_responsible") == "Unidad de Servicios Municipales"
    assert request.find("zipcode") is not None and request.findtext("zipcode") == ""
    data = as_json(client.get(f"{BASE}/requests/{report.id}.json?jurisdiction_id=intipuca"))
    assert len(data) == 1 and data[0]["service_request_id"] == str(report.id)
    assert data[0]["lat"] is None and data[0]["zipcode"] is None and data[0]["media_url"] is None
    assert client.get(f"{BASE}/requests/999999.json?jurisdiction_id=intipuca").status_code == 404
    token = xml(client.get(f"{BASE}/tokens/{report.code}.xml?jurisdiction_id=intipuca")).find("request")
    assert token.findtext("service_request_id") == str(report.id) and token.findtext("token") == report.code
    assert as_json(client.get(f"{BASE}/tokens/{report.code}.json?jurisdiction_id=intipuca"))[0]["token"] == report.code
    assert client.get(f"{BASE}/tokens/ZZZZZZZZ.xml?jurisdiction_id=intipuca").status_code == 404


def test_request_list_filters(client, db, report_factory, lighting, muni):
    from portal.participation.complaints import staff

    old = report_factory(description="viejo")
    old.created_at = utcnow() - timedelta(days=200)
    mid = report_factory(description="a medio camino")
    mid.created_at = utcnow() - timedelta(days=110)
    closed = report_factory(description="cerrado")
    staff.change_status(muni, closed, closed.version, "fixed", note="Listo")
    lamp = report_factory(category=lighting, answers={"falla": "dia"}, description="lámpara")
    hidden = report_factory(description="oculto")
    staff.set_hidden(muni, hidden, hidden.version, True)
    db.session.flush()

    def ids(query, fmt="json"):
        response = client.get(f"{BASE}/requests.{fmt}?jurisdiction_id=intipuca&{query}")
        assert response.status_code == 200, response.data
        if fmt == "xml":
            return {r.findtext("service_request_id") for r in xml(response).findall("request")}
        return {r["service_request_id"] for r in as_json(response)}

    default = ids("")
    assert {str(closed.id), str(lamp.id)} <= default
    assert str(old.id) not in default and str(hidden.id) not in default  # 90-day window; hidden never
    assert ids("", "xml") == default
    assert str(closed.id) in ids("status=closed") and str(lamp.id) not in ids("status=closed")
    assert str(lamp.id) in ids("status=open,closed")
    assert ids("service_code=alumbrado") & {str(closed.id), str(lamp.id)} == {str(lamp.id)}
    assert ids("service_code=alumbrado,aseo") >= {str(closed.id), str(lamp.id)}
    # service_request_id overrides every other filter
    assert ids(f"service_request_id={old.id},{lamp.id}&status=closed&service_code=aseo") == {str(old.id), str(lamp.id)}
    # dates: W3C with offsets; '+' arriving as a space is read as '+'
    start = (utcnow() - timedelta(days=210)).strftime("%Y-%m-%dT%H:%M:%S") + "+00:00"
    end = (utcnow() - timedelta(days=150)).strftime("%Y-%m-%dT%H:%M:%S") + "Z"
    recent = {str(closed.id), str(lamp.id)}
    window = ids(f"start_date={start.replace('+', '%2B')}&end_date={end}")
    assert str(old.id) in window and not window & recent
    assert ids(f"start_date={start.replace('+', ' ')}&end_date={end}") == window
    # a span over 90 days is clamped to 90 days from the start
    clamped = ids(f"start_date={start.replace('+', '%2B')}")
    assert str(old.id) in clamped and str(mid.id) not in clamped and not clamped & recent
    assert str(mid.id) in ids(f"end_date={(utcnow() - timedelta(days=100)).isoformat()}Z")
    assert client.get(f"{BASE}/requests.json?jurisdiction_id=intipuca&start_date=yesterday").status_code == 400
    assert client.get(f"{BASE}/requests.json?jurisdiction_id=intipuca&status=pending").status_code == 400
    assert ids("service_code=nada") == set()
    assert client.get(f"{BASE}/requests.xml?jurisdiction_id=intipuca&service_code=nada").data == \
        DECLARATION + b"<service_requests />"
    # page / page_size extension
    first = as_json(client.get(f"{BASE}/requests.json?jurisdiction_id=intipuca&page_size=2"))
    second = as_json(client.get(f"{BASE}/requests.json?jurisdiction_id=intipuca&page_size=2&page=2"))
    assert len(first) == 2 and len(second) == 2 and not {r["service_request_id"] for r in first} & \
        {r["service_request_id"] for r in second}


def test_closed_status_and_extensions(client, db, report_factory, muni):
    from portal.participation.complaints import staff

    report = report_factory()
    staff.add_update(muni, report, report.version, "Cuadrilla asignada", public=True)
    staff.add_update(muni, report, report.version, "secreto interno", public=False)
    staff.change_status(muni, report, report.version, "not_ours", reason="Acuda a la distribuidora")
    db.session.flush()
    plain = as_json(client.get(f"{BASE}/requests/{report.id}.json?jurisdiction_id=intipuca"))[0]
    assert plain["status"] == "closed" and "extended_attributes" not in plain
    assert plain["status_notes"] == "Acuda a la distribuidora"
    data = as_json(client.get(f"{BASE}/requests/{report.id}.json?jurisdiction_id=intipuca&extensions=true"))[0]
    assert data["extended_attributes"]["detailed_status"] == "NOT_OURS"
    assert data["extended_attributes"]["district"] == "El Carao"
    notes = [n["description"] for n in data["notes"]]
    assert "Cuadrilla asignada" in notes and "secreto interno" not in notes
    root = xml(client.get(f"{BASE}/requests/{report.id}.xml?jurisdiction_id=intipuca&extensions=true"))
    assert root.findtext("request/extended_attributes/detailed_status") == "NOT_OURS"
    assert root.find("request/notes/note/datetime") is not None
    assert "smit" not in client.get(f"{BASE}/requests.json?jurisdiction_id=intipuca").get_data(as_text=True)


@pytest.mark.parametrize("query, status", [("", 400), ("?jurisdiction_id=", 400), ("?jurisdiction_id=nowhere", 404),
                                           ("?jurisdiction_id=intipuca", 200)])
def test_jurisdiction_rules(client, query, status):
    for path in ("services.xml", "services.json", "requests.xml", "requests.json"):
        response = client.get(f"{BASE}/{path}{query}")
        assert response.status_code == status, (path, query)
        if status != 200 and path.endswith("xml"):
            assert xml(response).tag == "errors"


def test_api_request_follows_the_web_workflow(client, api_key, db, muni, login):
    from portal.participation.complaints.models import Report

    login(role="moderator")  # first: the test's requests share one app context (and Flask-Login's g)
    request_id = as_json(post(client, f"api_key={api_key}&jurisdiction_id=intipuca&service_code=aseo"
                              "&address_string=Calle+2&description=Basura", "json"))[0]["service_request_id"]
    report = db.session.get(Report, int(request_id))
    inbox = client.get("/m/intipuca/reclamos/gestion/?estado=received")
    assert f'href="/m/intipuca/reclamos/gestion/{request_id}"' in inbox.get_data(as_text=True)
    response = client.post(f"/m/intipuca/reclamos/gestion/{request_id}/estado",
                           data={"version": report.version, "status": "fixed", "note": "Barrido"})
    assert response.status_code == 302
    data = as_json(client.get(f"{BASE}/requests/{request_id}.json?jurisdiction_id=intipuca"))[0]
    assert data["status"] == "closed" and data["status_notes"] == "Barrido"
    tracking = client.get(f"/m/intipuca/reclamos/r/{report.code}")
    assert tracking.status_code == 200 and "¿Quedó realmente resuelto?" in tracking.get_data(as_text=True)


def test_fixmystreet_service_request_updates(client, db, report_factory, muni, queries):
    from portal.participation.complaints import staff

    report = report_factory()
    staff.add_update(muni, report, report.version, "Vamos el lunes", public=True)
    staff.add_update(muni, report, report.version, "interno", public=False)
    staff.change_status(muni, report, report.version, "fixed", note="Listo")
    db.session.flush()
    root = xml(client.get(f"{BASE}/servicerequestupdates.xml?jurisdiction_id=intipuca"))
    assert root.tag == "service_request_updates"
    mine = [u for u in root.findall("request_update") if u.findtext("service_request_id") == str(report.id)]
    assert [(u.findtext("status"), u.findtext("description")) for u in mine] == [
        ("OPEN", ""), ("OPEN", "Vamos el lunes"), ("FIXED", "Listo")]
    data = as_json(client.get(f"{BASE}/servicerequestupdates.json?jurisdiction_id=intipuca"))
    assert {"update_id", "service_request_id", "status", "updated_datetime", "description", "media_url"} == set(data[0])
    with queries() as n:
        client.get(f"{BASE}/servicerequestupdates.json?jurisdiction_id=intipuca")
    assert n() <= 4
