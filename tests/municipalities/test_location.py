"""A municipality's centroid (WGS 84 degrees): recorded by a platform admin, the command
line or the demo; both or neither, within the globe; shown to harvesters and search engines."""
import json
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.core.bounds import OutOfBounds
from portal.municipalities import services


def test_the_demo_records_intipucas_centroid(muni):
    assert (muni.latitude, muni.longitude) == (Decimal("13.18"), Decimal("-88.05"))


def test_search_engines_get_the_coordinates(client, muni):
    html = client.get("/m/intipuca/").get_data(as_text=True)
    document = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    place = document["@graph"][0]["areaServed"]
    assert place["geo"] == {"@type": "GeoCoordinates", "latitude": 13.18, "longitude": -88.05}


@settings(max_examples=50, deadline=None)
@given(lat=st.decimals(min_value=-90, max_value=90, places=6, allow_nan=False),
       lon=st.decimals(min_value=-180, max_value=180, places=6, allow_nan=False))
def test_any_point_of_the_globe_is_kept_exactly(lat, lon):
    assert services.location(str(lat), str(lon)) == (lat, lon)


@pytest.mark.parametrize("lat,lon,field", [("90.000001", "0", "Latitud"), ("0", "-180.5", "Longitud"),
                                           ("13.1234567", "0", "Latitud"), ("norte", "0", "Latitud"),
                                           ("NaN", "0", "Latitud")])
def test_points_off_the_globe_are_refused_naming_the_field(app, lat, lon, field):
    with app.test_request_context():
        with pytest.raises(OutOfBounds) as error:
            services.location(lat, lon)
        assert error.value.field == field


def test_one_without_the_other_is_refused_and_both_empty_clear_it(app):
    with app.test_request_context():
        assert services.location("", " ") == (None, None)
        with pytest.raises(services.MunicipalityError) as error:
            services.location("13.18", "")
        assert error.value.field == "longitude"


def test_platform_admin_records_the_location_shown_to_harvesters(client, login, db, muni):
    login(platform_admin=True)
    page = client.get("/m/intipuca/codigo").get_data(as_text=True)
    assert 'value="13.18"' in page and 'value="-88.05"' in page
    half = client.post("/m/intipuca/codigo", data={"code": "1411", "latitude": "13.2", "longitude": ""})
    text = half.get_data(as_text=True)
    assert half.status_code == 200 and "Escriba la latitud y la longitud" in text and 'value="13.2"' in text
    off = client.post("/m/intipuca/codigo", data={"code": "1411", "latitude": "95", "longitude": "-88"})
    text = off.get_data(as_text=True)
    assert off.status_code == 200 and "Latitud" in text and "90" in text and 'value="95"' in text
    assert client.post("/m/intipuca/codigo", data={"code": "1411", "latitude": "13.2", "longitude": "-88.1"}
                       ).status_code == 302
    assert "POINT(-88.1 13.2)" in client.get("/m/intipuca/catalog.ttl").get_data(as_text=True)
    assert client.post("/m/intipuca/codigo", data={"code": "1411", "latitude": "", "longitude": ""}
                       ).status_code == 302
    catalog = client.get("/m/intipuca/catalog.ttl").get_data(as_text=True)
    assert "POINT(" not in catalog and "/m/intipuca/#location" in catalog


@pytest.mark.parametrize("lang,words", [("en", ("National code and location", "Latitude")),
                                        ("pt", ("Código nacional e localização", "Latitude"))])
def test_the_page_in_other_languages(client, login, db, muni, lang, words):
    login(platform_admin=True)
    client.set_cookie("lang", lang)
    page = client.get("/m/intipuca/codigo").get_data(as_text=True)
    for word in words:
        assert word in page, (lang, word)


def test_command_line_creates_a_located_municipality(runner, db):
    from portal.municipalities.services import get_by_slug

    result = runner.invoke(args=["municipalities", "create", "con-centro", "--name", "Con Centro", "--country", "SV",
                                 "--latitude", "13.5", "--longitude", "-89.25"])
    assert result.exit_code == 0, result.output
    assert (get_by_slug("con-centro").latitude, get_by_slug("con-centro").longitude) == (
        Decimal("13.5"), Decimal("-89.25"))
    refused = runner.invoke(args=["municipalities", "create", "fuera", "--name", "Fuera", "--country", "SV",
                                  "--latitude", "91", "--longitude", "0"])
    assert refused.exit_code != 0 and "latitude" in refused.output.lower() and get_by_slug("fuera") is None
    alone = runner.invoke(args=["municipalities", "create", "sola", "--name", "Sola", "--country", "SV",
                                "--latitude", "13"])
    assert alone.exit_code != 0 and "longitude" in alone.output and get_by_slug("sola") is None
