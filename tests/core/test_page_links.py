"""Links the portal writes into values (indicator sources, comparisons) are built with
``url_for`` from the URL map, so they follow the routes and the portal's mount point.

Served under ``/cabildo`` (``SCRIPT_NAME``, as behind a proxy that mounts the portal
there), every link starts with ``/cabildo/m/...``; a path typed by hand would not.
"""
from datetime import date

import pytest

from portal.compare import collect
from portal.diagnostic import sources

ROOT = "http://localhost/cabildo/"


@pytest.mark.parametrize("key, param, as_of, path", [
    ("finance.autonomia_financiera", None, date(2012, 12, 31),
     "/cabildo/m/intipuca/finanzas/indicadores/autonomia_financiera?year=2012"),
    ("diagnostic.indicator", "gf14", date(2012, 6, 1), "/cabildo/m/intipuca/diagnostico/indicador/gf14/?assessment="),
    ("diagnostic.area", "Gestión Financiera", date(2012, 6, 1),
     "/cabildo/m/intipuca/diagnostico/area/gestion-financiera/?assessment="),
    ("complaints.median_days", None, date.today(), "/cabildo/m/intipuca/reclamos/estadisticas"),
    ("surveys.services_satisfaction", None, date.today(), "/cabildo/m/intipuca/encuestas/"),
])
def test_source_links_follow_the_mount_point(app, muni, key, param, as_of, path):
    with app.test_request_context("/", base_url=ROOT):
        value = sources.read(key, muni, as_of, param)
    assert value is not None and value.url.startswith(path), value and value.url


def test_source_links_without_a_mount_point_are_the_plain_paths(app, muni):
    with app.test_request_context("/"):
        value = sources.read("finance.autonomia_financiera", muni, date(2012, 12, 31))
    assert value.url == "/m/intipuca/finanzas/indicadores/autonomia_financiera?year=2012"


def test_comparison_links_follow_the_mount_point(app, muni):
    with app.test_request_context("/", base_url=ROOT):
        rows = {**collect.diagnostic(muni), **collect.participation(muni)}
    urls = [row.url for row in rows.values() if row is not None and row.url]
    assert urls and all(url.startswith("/cabildo/m/intipuca/") for url in urls), urls
    assert any(url.startswith("/cabildo/m/intipuca/diagnostico/?assessment=") for url in urls)
    assert "/cabildo/m/intipuca/presupuesto/" in urls
