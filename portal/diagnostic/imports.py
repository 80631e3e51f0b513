"""Importing a catalog and an assessment's scores from CSV or XLSX.

Every row is validated first and every problem collected (row, column, how to fix);
:class:`~portal.core.tabular.TableError` is raised before anything is written.

Catalog columns: ``area, subarea, code, name, description, weight, subarea_weight,
area_weight, dimensions`` (``Eficiencia:1;Transparencia:2``) and optionally
``measurement, evidence, source, param, rule`` (``linear:0:100`` or
``bands:0.5:50;0.8:100``). Score columns: ``code, score, note, evidence_url``
(``N/A`` = no aplica, an empty score = no reportado).
"""
import re
import unicodedata
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.core.tabular import Problem, TableError, parse_decimal, read_table, template_csv
from portal.diagnostic import scoring, services
from portal.diagnostic.models import (Area, Assessment, Catalog, ChecklistItem, Composite, CompositePart,
                                      Dimension, Indicator, IndicatorDimension, Score, SubArea)
from portal.extensions import db

CATALOG_COLUMNS = {
    "area": ("área", "area de gestion", "área de gestión"),
    "subarea": ("subárea", "sub_area", "sub-área", "sub area"),
    "code": ("código", "codigo", "cod"),
    "name": ("nombre", "indicador", "indicator"),
    "description": ("descripción", "descripcion", "qué mide"),
    "weight": ("peso", "peso_indicador", "indicator_weight"),
    "subarea_weight": ("peso_subarea", "peso subárea", "peso_subárea"),
    "area_weight": ("peso_area", "peso área", "peso_área"),
    "dimensions": ("dimensiones", "dimensión", "dimension"),
    "measurement": ("medición", "medicion", "cómo se mide"),
    "evidence": ("evidencia", "evidencia esperada", "expected_evidence"),
    "checklist": ("lista de verificación", "lista_verificacion", "items"),
    "source": ("fuente", "source_key"),
    "param": ("parámetro", "parametro", "source_param"),
    "rule": ("regla", "scoring_rule"),
}
CATALOG_REQUIRED = ("area", "subarea", "code", "name")
SCORE_COLUMNS = {
    "code": ("código", "codigo", "indicador", "indicator"),
    "score": ("puntaje", "puntuación", "puntuacion", "valor", "value"),
    "note": ("nota", "observación", "observacion", "comentario", "comment"),
    "evidence_url": ("evidencia", "url_evidencia", "url de la evidencia", "evidence"),
}
SCORE_REQUIRED = ("code", "score")
NA_WORDS = {"n/a", "na", "no aplica", "not applicable", "n.a."}

STANDARD_DIMENSIONS = ("Eficiencia", "Efectividad", "Transparencia", "Sostenibilidad", "Visión Estratégica")
STANDARD_COMPOSITES = (
    ("desempeno-operativo", "Desempeño Operativo", "x", ("Eficiencia", "Efectividad")),
    ("vision-largo-plazo", "Visión de Largo Plazo y Transparencia", "y",
     ("Transparencia", "Sostenibilidad", "Visión Estratégica")),
)


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "x"


def _weight(row, column, problems) -> Decimal:
    try:
        value = parse_decimal(row.get(column))
    except ValueError as error:
        problems.append(Problem(row["_row"], column, _l("%(error)s; use un número positivo como 1 o 2.5", error=error.args[0])))
        return Decimal(1)
    if value is None:
        return Decimal(1)
    if value <= 0:
        problems.append(Problem(row["_row"], column, _l("el peso debe ser mayor que 0")))
    return value


def parse_dimensions(text) -> list[tuple[str, Decimal]]:
    """``"Eficiencia:1;Transparencia:2"`` -> [("Eficiencia", 1), ("Transparencia", 2)]."""
    out = []
    for part in str(text or "").split(";"):
        part = part.strip()
        if not part:
            continue
        name, _, weight = part.partition(":")
        if not name.strip():
            raise ValueError(f"'{part}' has no dimension name")
        value = parse_decimal(weight.strip()) if weight.strip() else Decimal(1)
        if value is None or value <= 0:
            raise ValueError(f"'{part}': the weight must be greater than 0")
        out.append((name.strip(), value))
    return out


def parse_rule(text):
    """``linear:ZERO:FULL``, ``bands:T:S;T:S`` or ``bands-desc:...`` -> (kind, zero, full, bands)."""
    kind, _, rest = str(text).strip().partition(":")
    kind = kind.strip().lower()
    if kind == "linear":
        zero, _, full = rest.partition(":")
        zero_at, full_at = parse_decimal(zero.strip()), parse_decimal(full.strip())
        if zero_at is None or full_at is None or zero_at == full_at:
            raise ValueError("write linear:VALUE_SCORING_0:VALUE_SCORING_100 with two different values")
        return kind, zero_at, full_at, ""
    if kind in ("bands", "bands-desc"):
        scoring.parse_bands(rest)
        return kind, None, None, rest.strip()
    raise ValueError("the rule is linear:0:100 or bands:threshold:score;threshold:score")


def validate_catalog(rows) -> list[dict]:
    problems, seen, subareas, areas, out = [], {}, {}, {}, []
    for row in rows:
        number = row["_row"]
        for column in CATALOG_REQUIRED:
            if not row.get(column):
                problems.append(Problem(number, column, _l("esta celda está vacía; complétela")))
        code = str(row.get("code") or "").strip()
        if code and code.lower() in seen:
            problems.append(Problem(number, "code", _l("el código «%(code)s» está repetido (primero en la fila %(row)s)", code=code, row=seen[code.lower()])))
        elif code:
            seen[code.lower()] = number
        item = {"row": number, "area": str(row.get("area") or "").strip(),
                "subarea": str(row.get("subarea") or "").strip(), "code": code,
                "name": str(row.get("name") or "").strip(), "description": str(row.get("description") or ""),
                "measurement": str(row.get("measurement") or ""), "evidence": str(row.get("evidence") or ""),
                "weight": _weight(row, "weight", problems),
                "subarea_weight": _weight(row, "subarea_weight", problems),
                "area_weight": _weight(row, "area_weight", problems),
                "checklist": [t.strip() for t in str(row.get("checklist") or "").split(";") if t.strip()],
                "source": str(row.get("source") or "").strip(), "param": str(row.get("param") or "").strip(),
                "rule": ("", None, None, "")}
        try:
            item["dimensions"] = parse_dimensions(row.get("dimensions"))
        except ValueError as error:
            item["dimensions"] = []
            problems.append(Problem(number, "dimensions", _l("%(error)s (escriba Eficiencia:1;Transparencia:2)", error=error)))
        if row.get("rule"):
            try:
                item["rule"] = parse_rule(row["rule"])
            except (ValueError, ArithmeticError) as error:
                problems.append(Problem(number, "rule", str(error)))
            if not item["source"]:
                problems.append(Problem(number, "source", _l("una regla necesita la fuente que la alimenta")))
        elif item["source"]:
            problems.append(Problem(number, "rule", _l("una fuente necesita una regla de puntaje (p. ej. linear:0:100)")))
        sub_key = item["subarea"].lower()
        if sub_key in subareas and subareas[sub_key][0] != item["area"].lower():
            problems.append(Problem(number, "subarea", _l("la subárea «%(name)s» ya pertenece a otra área (fila %(row)s)",
                                       name=item["subarea"], row=subareas[sub_key][2])))
        elif sub_key in subareas and subareas[sub_key][1] != item["subarea_weight"] and row.get("subarea_weight") is not None:
            problems.append(Problem(number, "subarea_weight", _l("difiere de la fila %(row)s para la misma subárea", row=subareas[sub_key][2])))
        elif sub_key not in subareas:
            subareas[sub_key] = (item["area"].lower(), item["subarea_weight"], number)
        area_key = item["area"].lower()
        if area_key in areas and areas[area_key][0] != item["area_weight"] and row.get("area_weight") is not None:
            problems.append(Problem(number, "area_weight", _l("difiere de la fila %(row)s para la misma área", row=areas[area_key][1])))
        elif area_key not in areas:
            areas[area_key] = (item["area_weight"], number)
        out.append(item)
    if not rows:
        problems.append(Problem(None, None, _l("el archivo no tiene filas de indicadores")))
    if problems:
        raise TableError(problems, getattr(rows, "headers", None))
    return out


def build_catalog(items, name: str, municipality=None, publisher: str = "", description: str = "",
                  cutoffs=None) -> Catalog:
    """Write a validated catalog as a new version of ``name``."""
    latest = db.session.execute(select(func.max(Catalog.version)).where(Catalog.name == name)).scalar()
    catalog = Catalog(name=name, version=(latest or 0) + 1, municipality_id=municipality.id if municipality else None,
                      publisher=publisher, description=description)
    if cutoffs:
        catalog.cut_alto, catalog.cut_medio_alto, catalog.cut_medio = cutoffs
    db.session.add(catalog)
    dimensions = {}

    def dimension(dim_name):
        key = dim_name.lower()
        if key not in dimensions:
            dimensions[key] = Dimension(code=slugify(dim_name), name=dim_name, position=len(dimensions))
            catalog.dimensions.append(dimensions[key])
        return dimensions[key]
    for dim_name in STANDARD_DIMENSIONS:
        dimension(dim_name)
    areas, subareas = {}, {}
    for item in items:
        area = areas.get(item["area"].lower())
        if area is None:
            area = Area(code=slugify(item["area"]), name=item["area"], weight=item["area_weight"], position=len(areas))
            catalog.areas.append(area)
            areas[item["area"].lower()] = area
        sub = subareas.get(item["subarea"].lower())
        if sub is None:
            sub = SubArea(code=slugify(item["subarea"]), name=item["subarea"], weight=item["subarea_weight"],
                          position=len(area.subareas), catalog=catalog)
            area.subareas.append(sub)
            subareas[item["subarea"].lower()] = sub
        kind, zero_at, full_at, bands = item["rule"]
        indicator = Indicator(catalog=catalog, code=item["code"], name=item["name"], description=item["description"],
                              measurement=item["measurement"], evidence=item["evidence"], weight=item["weight"],
                              position=len(sub.indicators), source_key=item["source"], source_param=item["param"],
                              rule_kind=kind, rule_zero=zero_at, rule_full=full_at, rule_bands=bands)
        for dim_name, weight in item["dimensions"]:
            indicator.tags.append(IndicatorDimension(dimension=dimension(dim_name), weight=weight))
        for position, text in enumerate(item["checklist"]):
            indicator.checklist.append(ChecklistItem(text=text[:300], position=position))
        sub.indicators.append(indicator)
    for position, (code, comp_name, axis, parts) in enumerate(STANDARD_COMPOSITES):
        composite = Composite(code=code, name=comp_name, axis=axis, position=position)
        for dim_name in parts:
            composite.parts.append(CompositePart(dimension=dimension(dim_name), weight=Decimal(1)))
        catalog.composites.append(composite)
    catalog.publish()
    db.session.flush()
    return catalog


def import_catalog(data: bytes, filename: str, name: str, municipality=None) -> Catalog:
    """Validate the whole file, then write the catalog (adopted by ``municipality`` if given)."""
    rows = read_table(data, filename, CATALOG_COLUMNS, CATALOG_REQUIRED)
    items = validate_catalog(rows)
    catalog = build_catalog(items, name, municipality)
    if municipality is not None:
        services.adopt(municipality, catalog)
    return catalog


def validate_scores(rows, catalog) -> list[dict]:
    known = {i.code.lower(): i for i in services.indicator_list(catalog)}
    problems, seen, out = [], {}, []
    for row in rows:
        number = row["_row"]
        code = str(row.get("code") or "").strip()
        indicator = known.get(code.lower())
        if not code:
            problems.append(Problem(number, "code", _l("esta celda está vacía; escriba el código del indicador")))
        elif indicator is None:
            problems.append(Problem(number, "code", _l("«%(code)s» no es un indicador del catálogo «%(name)s» v%(version)s", code=code,
                                       name=catalog.name, version=catalog.version)))
        elif code.lower() in seen:
            problems.append(Problem(number, "code", _l("«%(code)s» está repetido (primero en la fila %(row)s)", code=code, row=seen[code.lower()])))
        seen.setdefault(code.lower(), number)
        raw = row.get("score")
        state, value = scoring.NR, None
        if isinstance(raw, str) and raw.strip().lower() in NA_WORDS:
            state = scoring.NA
        elif raw not in (None, ""):
            try:
                value = parse_decimal(raw)
            except ValueError as error:
                problems.append(Problem(number, "score", _l("%(error)s; escriba 0-100, N/A o déjelo vacío", error=error.args[0])))
            else:
                if not 0 <= value <= 100:
                    problems.append(Problem(number, "score", _l("%(value)s está fuera de 0-100", value=raw)))
                state = scoring.SCORED
        url = str(row.get("evidence_url") or "").strip()
        if url and not re.match(r"^https?://\S+$", url):
            problems.append(Problem(number, "evidence_url", _l("escriba una dirección completa que empiece con https://")))
        out.append({"code": indicator.code if indicator else code, "state": state, "value": value,
                    "note": str(row.get("note") or ""), "evidence_url": url})
    if not rows:
        problems.append(Problem(None, None, _l("el archivo no tiene filas de puntajes")))
    if problems:
        raise TableError(problems, getattr(rows, "headers", None))
    return out


def import_scores(municipality, when: date, data: bytes, filename: str, catalog=None,
                  publish: bool = False) -> Assessment:
    """Scores for the assessment of ``when`` (created as needed); indicators not in the
    file stay *no reportado*, derived ones take their source's value."""
    catalog = catalog or services.adopted_catalog(municipality)
    if catalog is None:
        raise TableError([Problem(None, None, _l("el municipio no tiene catálogo; importe uno o indique su nombre"))])
    catalog = services.load_catalogs([catalog.id])[catalog.id]
    rows = read_table(data, filename, SCORE_COLUMNS, SCORE_REQUIRED)
    entries = validate_scores(rows, catalog)
    existing = db.session.execute(select(Assessment).where(
        Assessment.municipality_id == municipality.id, Assessment.date == when,
        Assessment.catalog_id == catalog.id)).scalar_one_or_none()
    if existing is not None and existing.is_published:
        raise TableError([Problem(None, None, _l("el diagnóstico del %(date)s ya está publicado y no puede "
                                                 "cambiar; use otra fecha", date=when.isoformat()))])
    assessment = existing or services.create_assessment(municipality, catalog, when)
    by_code = {e["code"]: e for e in entries}
    for indicator in services.indicator_list(catalog):
        if indicator.code not in by_code and not indicator.is_derived:
            by_code[indicator.code] = {"code": indicator.code, "state": scoring.NR, "value": None}
    services.save_scores(municipality, assessment, [e for e in by_code.values()])
    if publish:
        assessment.stage = "submitted" if assessment.stage in ("draft", "queried") else assessment.stage
        services.publish(municipality, assessment)
    return assessment


def catalog_template() -> bytes:
    return template_csv(list(CATALOG_COLUMNS)[:9], [
        ["Gestión Financiera", "Organización", "gf01", "Estructura organizativa del área financiera",
         "Existe una unidad financiera con funciones definidas", "1", "1", "1", "Eficiencia:1;Transparencia:1"],
        ["Gestión Financiera", "Organización", "gf03", "Manual de funciones actualizado", "", "1", "1", "1",
         "Eficiencia:1"],
    ])


def scores_template() -> bytes:
    return template_csv(list(SCORE_COLUMNS), [["gf01", "40", "Unidad creada en 2010", "https://ejemplo.gob/acta.pdf"],
                                              ["gf03", "N/A", "No aplica a este municipio", ""],
                                              ["gf04", "", "Sin información", ""]])


def count_scores(assessment) -> int:
    return db.session.execute(select(func.count(Score.id)).where(Score.assessment_id == assessment.id)).scalar_one()
