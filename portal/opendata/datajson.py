"""``data.json``: Project Open Data metadata schema v1.1 (non-federal), with the fields
the Latin American national metadata profile (Argentina's "Perfil de Aplicación Nacional
de Metadatos", read by pydatajson and the regional portals that follow it) adds or
requires: the catalog's ``superThemeTaxonomy`` and ``themeTaxonomy``, each dataset's
``superTheme``, ``accrualPeriodicity`` and ``issued``, and each distribution's
``identifier``, ``issued``, ``fileName`` and ``field`` (the column list)."""
import json
from collections.abc import Iterator

from portal.opendata import catalog, catalog_dates, datasets
from portal.opendata.downloads import license_of

POD = "https://project-open-data.cio.gov/v1.1/schema"
SUPER_THEMES = "http://datos.gob.ar/superThemeTaxonomy.json"
FIELD_TYPES = {"year": "integer"}


def _date(moment) -> str:
    return moment.replace(microsecond=0).isoformat() + "Z"


def _dataset(municipality, dataset) -> dict:
    issued, modified = catalog_dates.dataset_dates(municipality, dataset)
    uri = catalog.dataset_uri(municipality, dataset)
    email = catalog.contact_email(municipality)
    contact = {"@type": "vcard:Contact", "fn": municipality.name}
    publisher = {"@type": "org:Organization", "name": municipality.name}
    if email:
        contact["hasEmail"] = "mailto:" + email
        publisher["mbox"] = email
    fields = [{"title": c.es, "type": FIELD_TYPES.get(c.type, c.type),
               "description": c.description or c.name} for c in dataset.columns]
    distributions = []
    for dist in catalog.distributions(municipality, dataset):
        item = {"@type": "dcat:Distribution", "identifier": f"{uri}#{dist.id}", "title": dist.title,
                "accessURL": uri, "downloadURL": dist.url, "mediaType": dist.media_type,
                "format": dist.format, "issued": _date(issued), "modified": _date(modified),
                "license": license_of(municipality)[1], "fileName": dist.url.rsplit("/", 1)[-1]}
        if dist.id in ("csv", "xlsx"):
            item["field"] = fields
        if dist.id == "datapackage":
            item["conformsTo"] = "https://specs.frictionlessdata.io/data-package/"
        distributions.append(item)
    return {
        "@type": "dcat:Dataset", "identifier": uri, "title": f"{municipality.name}: {dataset.title}",
        "description": dataset.description, "keyword": list(dataset.keywords),
        "issued": _date(issued), "modified": _date(modified), "publisher": publisher, "contactPoint": contact,
        "accessLevel": "public", "license": license_of(municipality)[1], "landingPage": uri,
        "language": ["spa"], "spatial": f"{municipality.name}, {municipality.country}",
        "accrualPeriodicity": dataset.periodicity, "superTheme": [dataset.super_theme], "theme": [dataset.key],
        "distribution": distributions,
    }


def _catalog(municipalities, title: str, description: str, self_url: str, home: str) -> dict:
    """The catalog's own fields (everything but its datasets and their latest date)."""
    single = municipalities[0] if len(municipalities) == 1 else None
    publisher = {"name": single.name if single else "Cabildo", "mbox": catalog.contact_email(single) if single else ""}
    return {
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@id": self_url, "@type": "dcat:Catalog", "conformsTo": POD, "describedBy": POD + "/catalog.json",
        "title": title, "description": description, "publisher": publisher, "homepage": home,
        "language": ["spa"], "superThemeTaxonomy": SUPER_THEMES,
        "themeTaxonomy": [{"id": d.key, "label": d.title, "description": d.description}
                          for d in datasets.all_datasets()],
        "license": license_of(single)[1],
    }


def document(municipalities, title: str, description: str, self_url: str, home: str) -> dict:
    """One municipality's catalog (or a few municipalities'), as a dict."""
    catalog_dates.prime(municipalities)
    items = [_dataset(m, d) for m in municipalities for d in datasets.all_datasets()]
    doc = {**_catalog(municipalities, title, description, self_url, home), "dataset": items}
    modified = max((i["modified"] for i in items), default=None)
    if modified:
        doc["modified"] = modified
    return doc


def stream(batches, title: str, description: str, self_url: str, home: str) -> Iterator[str]:
    """The platform's catalog as JSON text, written a batch of municipalities at a time:
    memory stays that of one batch and the first bytes leave at once, however many
    municipalities there are. ``batches`` yields lists of municipalities."""
    head = json.dumps({**_catalog([], title, description, self_url, home), "dataset": []}, ensure_ascii=False,
                      separators=(",", ":"))
    yield head[:-2]  # up to and including '"dataset":['
    latest, first = None, True
    for batch in batches:
        catalog_dates.prime(batch)
        items = [_dataset(m, d) for m in batch for d in datasets.all_datasets()]
        catalog_dates.forget()
        if not items:
            continue
        latest = max([latest, *(i["modified"] for i in items)] if latest else [i["modified"] for i in items])
        text = ",".join(json.dumps(i, ensure_ascii=False, separators=(",", ":")) for i in items)
        yield text if first else "," + text
        first = False
    yield "]" + (',"modified":' + json.dumps(latest) if latest else "") + "}"
