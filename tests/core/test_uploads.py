"""Uploads: image bombs refused from the header, files that follow their transaction,
withdrawn photos unreachable at once, the upload folder's place and cache headers."""
import io
import json
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from flask import g
from sqlalchemy import select

from portal.core import uploads
from portal.participation.complaints import staff
from portal.participation.complaints.models import Report

ROOT = Path(__file__).resolve().parents[2]
NEW = "/m/intipuca/reclamos/nuevo?servicio=aseo"


def png_claiming(width: int, height: int, bit_depth: int = 1, color_type: int = 0) -> bytes:
    """A valid PNG of ``width`` x ``height`` black pixels, built row by row (the test never
    holds the pixels): a 15,000 x 15,000 1-bit one weighs about 60 KB."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    channels = {0: 1, 2: 3}[color_type]
    row = b"\x00" * (1 + (width * channels * bit_depth + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def files_in(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


@pytest.fixture
def upload_folder(app):
    return Path(app.config["UPLOAD_FOLDER"])


@pytest.mark.parametrize("megapixels, size", [(225, (15000, 15000)), (88, (9400, 9400)), (41, (6500, 6400))])
def test_too_many_pixels_is_a_clear_error_and_writes_nothing(app, db, muni, upload_folder, megapixels, size):
    bomb = png_claiming(*size)
    assert len(bomb) < 700_000
    before = files_in(upload_folder)
    with app.test_request_context(headers={"Accept-Language": "es"}):
        with pytest.raises(uploads.UploadError) as refused:
            uploads.save_image(muni.id, bomb)
        assert str(refused.value) == "La foto tiene demasiados píxeles (el máximo es 40 megapíxeles)."
    assert files_in(upload_folder) == before


def test_a_photo_within_bounds_is_still_accepted(app, db, muni):
    with app.test_request_context():
        name = uploads.save_image(muni.id, png_claiming(2000, 1000, 8, 2))
        from PIL import Image

        with Image.open(uploads.path_for(muni.id, name)) as image:
            assert image.format == "JPEG" and image.size == (1600, 800)


def test_an_88_megapixel_png_is_refused_without_decoding_it(tmp_path):
    """Measured in a fresh process: refusing the bomb costs no more memory than a small
    photo. Decoding its pixels first (what the portal did) takes about 90 MB more."""
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_claiming(9400, 9400, 8, 0))
    script = f"""
import json, resource
from pathlib import Path
from portal.core.uploads import UploadError, _decode
data = Path({str(bomb)!r}).read_bytes()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    _decode(data)
    outcome = "decoded"
except UploadError:
    outcome = "refused"
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"outcome": outcome, "grown_kb": after - before}}))
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    assert measured["outcome"] == "refused"
    assert measured["grown_kb"] < 30_000, measured  # the pixels alone would be 88,360 KB


def test_the_complaint_form_refuses_a_bomb_in_the_persons_language_and_keeps_the_rest(
        client, db, muni, upload_folder):
    district = next(d for d in muni.districts if d.name == "El Carao")
    before = files_in(upload_folder)
    for language, message in (("es", "La foto tiene demasiados píxeles"), ("en", "The photo has too many pixels"),
                              ("pt", "A foto tem pixels demais")):
        client.set_cookie("lang", language)
        g.pop("_flask_babel", None)  # the test shares one app context (and Flask-Babel's choice)
        response = client.post(NEW, data={
            "description": "Basura en la esquina del parque", "district": str(district.id),
            "address": "Frente a la escuela", "contact_name": "Ana Pérez", "idempotency_key": "bomb-1",
            "photo": (io.BytesIO(png_claiming(15000, 15000)), "foto.png")}, content_type="multipart/form-data")
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and message in page, language
        assert "Basura en la esquina del parque" in page and 'value="Ana Pérez"' in page
        assert 'value="Frente a la escuela"' in page
    assert db.session.execute(select(Report).filter_by(idempotency_key="bomb-1")).scalar_one_or_none() is None
    assert files_in(upload_folder) == before


def test_a_file_written_in_a_transaction_that_does_not_commit_is_removed(app, db, muni):
    small = png_claiming(40, 30, 8, 2)
    with app.test_request_context():
        lost = uploads.save_image(muni.id, small)
        assert uploads.path_for(muni.id, lost) is not None
        db.session.rollback()
        assert uploads.path_for(muni.id, lost) is None
        kept = uploads.save_image(muni.id, small)
        db.session.commit()
        assert uploads.path_for(muni.id, kept) is not None


def _report_with_photo(client, muni, key):
    from tests.participation.complaints.conftest import jpeg_bytes

    district = next(d for d in muni.districts if d.name == "El Carao")
    response = client.post(NEW, data={
        "description": "Basura en la esquina", "district": str(district.id), "address": "Parque",
        "idempotency_key": key, "confirm_new": "1", "photo": (io.BytesIO(jpeg_bytes()), "foto.jpg")},
        content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    from portal.extensions import db

    return db.session.execute(select(Report).filter_by(idempotency_key=key)).scalar_one()


def _get(client, url, **kwargs):
    """A GET read whole and closed (a served file stays open until then)."""
    response = client.get(url, **kwargs)
    response.get_data()
    response.close()
    return response


def _photo_url(report):
    return f"/files/{report.municipality_id}/{report.photo}"


def test_a_photo_removed_by_a_moderator_is_gone_at_once_everywhere(client, db, muni, login):
    report = _report_with_photo(client, muni, "photo-removed-1")
    url, name = _photo_url(report), report.photo
    served = _get(client, url)
    assert served.status_code == 200
    assert served.headers["Cache-Control"] == "public, no-cache" and served.headers["ETag"]
    again = _get(client, url, headers={"If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304  # caches revalidate cheaply while the photo stays
    open311 = f"/open311/v2/requests/{report.id}.json?jurisdiction_id=intipuca"
    assert name in client.get(open311).get_data(as_text=True)
    login(role="moderator")
    response = client.post(f"/m/intipuca/reclamos/gestion/{report.id}/moderar",
                           data={"version": report.version, "remove_photo": "y", "reason": "rostro de un menor",
                                 "description": report.description})
    assert response.status_code == 302
    assert _get(client, url).status_code == 404
    assert _get(client, url, headers={"If-None-Match": served.headers["ETag"]}).status_code == 404
    assert name not in client.get(open311).get_data(as_text=True)
    assert name not in client.get(f"/m/intipuca/reclamos/r/{report.code}").get_data(as_text=True)


def test_hiding_a_report_hides_its_photo_and_showing_it_restores_it(client, db, muni, login):
    report = _report_with_photo(client, muni, "photo-hidden-1")
    url = _photo_url(report)
    login(role="moderator")
    client.post(f"/m/intipuca/reclamos/gestion/{report.id}/ocultar", data={"version": report.version,
                                                                           "reason": "insultos"})
    assert report.hidden and _get(client, url).status_code == 404
    client.post(f"/m/intipuca/reclamos/gestion/{report.id}/ocultar", data={"version": report.version})
    assert not report.hidden and _get(client, url).status_code == 200


def test_a_withdrawal_that_does_not_commit_leaves_the_photo_served(client, db, muni):
    report = _report_with_photo(client, muni, "photo-kept-1")
    staff.moderate(muni, report, report.version, remove_photo=True, reason="x")
    db.session.rollback()
    report = db.session.execute(select(Report).filter_by(idempotency_key="photo-kept-1")).scalar_one()
    assert _get(client, _photo_url(report)).status_code == 200


def test_the_upload_folder_is_configured_and_never_the_working_directory(tmp_path, monkeypatch):
    from portal.config import build_config

    monkeypatch.delenv("UPLOAD_FOLDER", raising=False)
    monkeypatch.delenv("UPLOAD_DIR", raising=False)
    instance = tmp_path / "instance"
    assert build_config(str(instance), {"SECRET_KEY": "k"})["UPLOAD_FOLDER"] == str(instance / "uploads")
    monkeypatch.setenv("UPLOAD_FOLDER", "shared")
    assert build_config(str(instance), {"SECRET_KEY": "k"})["UPLOAD_FOLDER"] == str(instance / "shared")
    monkeypatch.setenv("UPLOAD_FOLDER", "/srv/cabildo/uploads")
    assert build_config(str(instance), {"SECRET_KEY": "k"})["UPLOAD_FOLDER"] == "/srv/cabildo/uploads"
    monkeypatch.delenv("UPLOAD_FOLDER")
    monkeypatch.setenv("UPLOAD_DIR", "/mnt/old-name")  # the former name still works
    assert build_config(str(instance), {"SECRET_KEY": "k"})["UPLOAD_FOLDER"] == "/mnt/old-name"


def test_uploads_land_in_the_configured_folder_by_municipality(app, db, muni, upload_folder):
    with app.test_request_context():
        name = uploads.save_image(muni.id, png_claiming(40, 30, 8, 2))
        db.session.commit()
    assert re.fullmatch(r"[\w-]{20,}\.jpg", name)
    assert (upload_folder / str(muni.id) / name).is_file()


def test_a_proposal_with_a_bomb_gets_a_spanish_error_keeps_the_text_and_writes_nothing(
        client, login, db, muni, make, upload_folder):
    from datetime import date, timedelta

    from portal.participation.budgeting import services

    today = date.today()
    process = services.save_process(muni, None, title="Obras 2027", budget=1000, purpose="Obras",
                                    proposals_open=today - timedelta(days=1),
                                    proposals_close=today + timedelta(days=5),
                                    voting_open=today + timedelta(days=10),
                                    voting_close=today + timedelta(days=20))
    process.status = "published"
    login(make.user())
    before = files_in(upload_folder)
    response = client.post(f"/m/intipuca/presupuesto/{process.id}/proponer", data={
        "title": "Lámparas en el parque", "description": "Cuatro lámparas", "cost": "100",
        "photo": (io.BytesIO(png_claiming(15000, 15000)), "foto.png")}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "La foto tiene demasiados píxeles" in page
    assert 'value="Lámparas en el parque"' in page and "Cuatro lámparas" in page
    assert files_in(upload_folder) == before
