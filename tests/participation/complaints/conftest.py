"""Fixtures for the complaints tests: the demo's categories, a report factory, an API key."""
import io

import pytest


@pytest.fixture
def category(db, muni):
    from portal.participation.complaints import services

    return services.get_category(muni, "aseo")  # no extra questions


@pytest.fixture
def lighting(db, muni):
    from portal.participation.complaints import services

    return services.get_category(muni, "alumbrado")  # a required single-value question


@pytest.fixture
def district(muni):
    return next(d for d in muni.districts if d.name == "El Carao")


@pytest.fixture
def report_factory(db, muni, category, district):
    from portal.participation.complaints import services

    def make(**overrides):
        data = dict(category=category, description="Basura acumulada en la esquina",
                    district_id=district.id, address="Frente a la escuela")
        data.update(overrides)
        report, _ = services.create_report(muni, services.ReportInput(**data))
        db.session.flush()
        return report
    return make


@pytest.fixture
def api_key(db, muni):
    from portal.participation.complaints import staff

    _key, plain = staff.create_api_key(muni, "Test client")
    db.session.flush()
    return plain


def jpeg_bytes(size=(40, 30), exif_gps=False) -> bytes:
    from PIL import Image

    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    kwargs = {}
    if exif_gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (13.0, 10.0, 0.0)}  # GPSInfo
        exif[0x010F] = "PhoneMaker"
        kwargs["exif"] = exif
    image.save(out, "JPEG", **kwargs)
    return out.getvalue()


@pytest.fixture
def outbox(app):
    """The e-mails written to the outbox during the test: ``outbox()`` -> list of messages."""
    import email
    from pathlib import Path

    folder = Path(app.config["OUTBOX_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    before = set(folder.iterdir())

    def read():
        return [email.message_from_bytes(p.read_bytes()) for p in sorted(set(folder.iterdir()) - before)]
    return read
