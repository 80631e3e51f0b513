"""Importing a plan's activities (CSV/XLSX) and re-importing the follow-up matrix.

Every row is validated first; any problem refuses the whole file (a
:class:`~portal.core.tabular.TableError` naming each row and column) and nothing is
written. Activities are matched by ``number`` within the plan, so importing again
updates them; a number like ``2.1`` makes a sub-activity of ``2``.
"""
import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.core import bounds
from portal.core.tabular import Problem, TableError, parse_decimal, read_table, template_csv
from portal.extensions import db
from portal.roadmap import services
from portal.roadmap.models import (CANCELLED, DELAYED, DONE, EVALUATION, IN_PROGRESS, MILESTONE, NOT_STARTED,
                                   Activity, CorrectiveAction, Horizon, Milestone, Plan)

COLUMNS = {
    "number": ("numero", "n", "no", "nro", "num"),
    "horizon": ("horizonte", "plazo"),
    "area": ("area",),
    "action": ("accion", "accion correctiva", "corrective action"),
    "activity": ("actividad", "title", "titulo"),
    "start": ("inicio", "desde", "fecha inicio"),
    "end": ("fin", "hasta", "fecha fin"),
    "permanent": ("permanente",),
    "responsible": ("responsable",),
    "cost": ("costo", "costo estimado", "estimated cost"),
    "funding_source": ("fuente", "fuente de financiamiento", "financiamiento"),
    "status": ("estado",),
    "done": ("realizada", "realizado", "cumplida"),
    "verification": ("fuente de verificacion", "verificacion", "evidencia"),
    "limitation": ("limitacion", "limitante", "limitaciones"),
    "observations": ("observaciones", "observacion"),
    "milestone": ("hito",),
}
ORDER = list(COLUMNS)
MATRIX_COLUMNS = {
    "number": ("N°", "numero", "n", "no", "nro"),
    "activity": ("actividad",),
    "period": ("periodo programado", "periodo", "scheduled period"),
    "done": ("realizada (si/no)", "realizada", "realizado", "done (yes/no)"),
    "verification": ("fuente de verificacion", "verificacion"),
    "limitation": ("limitacion", "limitante"),
    "observations": ("observaciones",),
}
MATRIX_HEADERS = ["N°", "Actividad", "Período programado", "Realizada (sí/no)", "Fuente de verificación",
                  "Limitación", "Observaciones"]
STATUS_WORDS = {
    NOT_STARTED: ("not_started", "not started", "sin iniciar", "pendiente", "no iniciada"),
    IN_PROGRESS: ("in_progress", "in progress", "en curso", "en proceso", "en ejecucion", "en ejecución"),
    DONE: ("done", "realizada", "realizado", "finalizada", "completada", "hecha"),
    DELAYED: ("delayed", "retrasada", "atrasada", "demorada"),
    CANCELLED: ("cancelled", "canceled", "cancelada", "suspendida"),
}
YES = ("si", "sí", "s", "yes", "y", "true", "1", "x", "verdadero")
NO = ("no", "n", "false", "0", "falso")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_NUMBER = re.compile(r"^\d+(\.\d+)*$")


@dataclass(frozen=True)
class ImportResult:
    plan: Plan
    created: int
    updated: int
    total: Decimal
    by_horizon: tuple


def template() -> bytes:
    return template_csv(ORDER, [
        ["1", "Corto plazo", "Tributaria", "Mejoramiento del Área Tributaria",
         "Creación y equipamiento de la UATM", "2014-01", "2014-01", "no", "Concejo Municipal", "2000.00",
         "FODES", "realizada", "sí", "https://example.org/acta-3.pdf", "", "", "hito"],
        ["2", "Corto plazo", "Financiera", "Fortalecimiento de la Gestión Financiera",
         "Creación de Comisión Financiera del Concejo", "2014-01-06", "2014-01-31", "no", "Concejo Municipal",
         "", "N/A", "en curso", "no", "", "", "", ""],
    ])


def _bool(value, row, column, problems) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    problems.append(Problem(row, column, _l("«%(value)s» no es sí/no (use sí o no)", value=value)))
    return False


def _period_date(value, end: bool) -> tuple[date | None, str]:
    """A ``YYYY-MM`` (whole month: first or last day) or ``YYYY-MM-DD`` cell; unit month|day.
    Raises ValueError whose one argument is the (lazy) message for the import problem list."""
    if value is None:
        return None, "month"
    if isinstance(value, date):  # an Excel date (a datetime too)
        try:
            return bounds.date_value(value), "day"
        except bounds.OutOfBounds as error:
            raise ValueError(error.detail) from None
    text = str(value).strip()
    match = _MONTH.match(text)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise ValueError(_l("«%(value)s» no tiene mes %(month)s (use AAAA-MM)", value=value, month=month))
        try:
            bounds.date_value(date(year, month, 1))
        except bounds.OutOfBounds as error:
            raise ValueError(error.detail) from None
        return date(year, month, calendar.monthrange(year, month)[1] if end else 1), "month"
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(_l("«%(value)s» no es un mes ni una fecha (use AAAA-MM o AAAA-MM-DD)",
                            value=value)) from None
    try:
        return bounds.date_value(day), "day"
    except bounds.OutOfBounds as error:
        raise ValueError(error.detail) from None


def _state(value) -> str | None:
    if value is None:
        return NOT_STARTED
    text = str(value).strip().lower()
    for state, words in STATUS_WORDS.items():
        if text in words:
            return state
    return None


def _marker(value, row, problems) -> str | None:
    if value is None:
        return None
    text = str(value).strip().lower()
    if text in ("hito", "milestone", *YES):
        return MILESTONE
    if text in ("evaluacion", "evaluación", "evaluation", "punto de evaluacion", "punto de evaluación"):
        return EVALUATION
    if text in NO:
        return None
    problems.append(Problem(row, "milestone", _l("«%(value)s» no es hito/evaluación/no", value=value)))
    return None


def validate(rows: list[dict]) -> list[dict]:
    """Clean values for every row, or TableError naming every bad row and column."""
    problems: list[Problem] = []
    clean = []
    numbers = {}
    for row in rows:
        n = row["_row"]
        number = str(row.get("number") or "").strip()
        if number.endswith(".0") and isinstance(row.get("number"), float):
            number = number[:-2]
        if not number:
            problems.append(Problem(n, "number", _l("falta el número de la actividad")))
        elif not _NUMBER.match(number):
            problems.append(Problem(n, "number", _l("«%(value)s» no es un número como 3 o 3.1", value=number)))
        elif number in numbers:
            problems.append(Problem(n, "number", _l("el número %(number)s está repetido (fila %(row)s)", number=number, row=numbers[number])))
        else:
            numbers[number] = n
        title = str(row.get("activity") or "").strip()
        if not title:
            problems.append(Problem(n, "activity", _l("falta el nombre de la actividad")))
        elif len(title) > 300:
            problems.append(Problem(n, "activity", _l("el nombre tiene más de 300 caracteres")))
        permanent = _bool(row.get("permanent"), n, "permanent", problems)
        try:
            start, unit = _period_date(row.get("start"), end=False)
        except ValueError as error:
            problems.append(Problem(n, "start", error.args[0]))
            start, unit = None, "month"
        try:
            end, end_unit = _period_date(row.get("end"), end=True)
        except ValueError as error:
            problems.append(Problem(n, "end", error.args[0]))
            end, end_unit = None, "month"
        if start is None and not permanent and row.get("start") is None:
            problems.append(Problem(n, "start", _l("hace falta un mes de inicio (AAAA-MM) salvo que la actividad sea permanente")))
        if start is not None and end is None and row.get("end") is None:
            end = date(start.year, start.month, calendar.monthrange(start.year, start.month)[1]) \
                if unit == "month" else start
        if start and end and end < start:
            problems.append(Problem(n, "end", _l("el fin es anterior al inicio")))
        try:
            cost = parse_decimal(row.get("cost"))
            if cost is not None and cost < 0:
                problems.append(Problem(n, "cost", _l("el costo no puede ser negativo")))
        except ValueError as error:
            problems.append(Problem(n, "cost", error.args[0]))
            cost = None
        state = _state(row.get("status"))
        if state is None:
            problems.append(Problem(n, "status", _l("«%(value)s» no es un estado (sin iniciar, en curso, realizada, "
                                       "retrasada, cancelada)", value=row.get("status"))))
        done = _bool(row.get("done"), n, "done", problems)
        clean.append({
            "_row": n, "number": number, "title": title, "horizon": str(row.get("horizon") or "").strip(),
            "area": str(row.get("area") or "").strip(), "action": str(row.get("action") or "").strip(),
            "start": start, "end": end, "unit": "day" if "day" in (unit, end_unit) else "month",
            "permanent": permanent, "responsible": str(row.get("responsible") or "").strip()[:120],
            "cost": cost, "funding_source": str(row.get("funding_source") or "").strip()[:80],
            "state": DONE if done else (state or NOT_STARTED), "done": done or state == DONE,
            "verification": str(row.get("verification") or "").strip(),
            "limitation": str(row.get("limitation") or "").strip(),
            "observations": str(row.get("observations") or "").strip(),
            "milestone": _marker(row.get("milestone"), n, problems),
        })
    for item in clean:
        if "." in item["number"] and item["number"].rsplit(".", 1)[0] not in numbers:
            problems.append(Problem(item["_row"], "number",
                                    _l("la subactividad %(number)s necesita la actividad %(parent)s", number=item["number"],
                                       parent=item["number"].rsplit(".", 1)[0])))
    if not clean and not problems:
        problems.append(Problem(None, None, _l("el archivo no tiene actividades")))
    if problems:
        raise TableError(problems, getattr(rows, "headers", None))
    return clean


def import_activities(municipality, data: bytes, filename: str, plan_title: str,
                      publish: bool = False, may_change_published: bool = True) -> ImportResult:
    """Validate the whole file, then create or update the plan's activities (flush only).

    A published plan's activities, dates and costs are public figures: changing them by
    import waits for a publisher. With ``may_change_published=False`` (an editor on the
    web) an import into a published plan is refused before anything is written; the
    editor imports into a new draft plan, or a publisher imports. Routine follow-up of a
    published plan (state, progress, evidence, actual cost; :func:`import_matrix`) stays
    open to editors."""
    plan_title = (plan_title or "").strip()
    if not plan_title:
        raise TableError([Problem(None, "plan", _l("falta el nombre del plan"))])
    plan = db.session.execute(select(Plan).where(Plan.municipality_id == municipality.id,
                                                 Plan.title == plan_title)).scalar_one_or_none()
    if plan is not None and plan.is_published and not may_change_published:
        raise TableError([Problem(None, "plan", _l(
            "el plan «%(plan)s» ya está publicado: solo una persona con el rol de publicador puede cambiar sus "
            "actividades, fechas y costos por importación. Importe con otro nombre para preparar un borrador, "
            "o pida a un publicador que importe el archivo", plan=plan.title))])
    clean = validate(read_table(data, filename, COLUMNS, required=("number", "activity")))
    if plan is None:
        plan = Plan(municipality_id=municipality.id, title=plan_title[:200])
        db.session.add(plan)
        db.session.flush()
    horizons = {h.name.lower(): h for h in plan.horizons}
    actions = {a.name.lower(): a for a in plan.actions}
    existing = {a.number: a for a in db.session.execute(select(Activity).where(
        Activity.municipality_id == municipality.id, Activity.plan_id == plan.id)).scalars()}
    created = updated = 0
    by_number = {}
    for position, item in enumerate(clean, start=1):
        horizon = None
        if item["horizon"]:
            horizon = horizons.get(item["horizon"].lower())
            if horizon is None:
                horizon = Horizon(municipality_id=municipality.id, plan=plan, name=item["horizon"][:80],
                                  position=len(horizons) + 1)
                db.session.add(horizon)
                horizons[item["horizon"].lower()] = horizon
            dates = [d for d in (item["start"], item["end"]) if d]
            if dates:
                horizon.starts_on = min([d for d in (horizon.starts_on, *dates) if d])
                horizon.ends_on = max([d for d in (horizon.ends_on, *dates) if d])
        action = None
        if item["action"]:
            action = actions.get(item["action"].lower())
            if action is None:
                action = CorrectiveAction(municipality_id=municipality.id, plan=plan, name=item["action"][:200],
                                          position=len(actions) + 1)
                db.session.add(action)
                actions[item["action"].lower()] = action
        activity = existing.get(item["number"])
        if activity is None:
            activity = Activity(municipality_id=municipality.id, plan=plan, number=item["number"])
            db.session.add(activity)
            created += 1
        else:
            updated += 1
        verification = item["verification"]
        is_link = verification.startswith(("http://", "https://"))
        activity.horizon, activity.action = horizon, action
        activity.position = position
        activity.area, activity.title = item["area"][:80], item["title"]
        activity.starts_on, activity.ends_on = item["start"], item["end"]
        activity.period_unit, activity.permanent = item["unit"], item["permanent"]
        activity.responsible, activity.cost = item["responsible"], item["cost"]
        activity.currency = municipality.currency
        activity.funding_source = services.funding_source(municipality, item["funding_source"])
        activity.state, activity.done = item["state"], item["done"]
        activity.verification_url = verification[:500] if is_link else ""
        activity.verification_text = "" if is_link else verification[:300]
        activity.limitation, activity.observations = item["limitation"], item["observations"]
        by_number[item["number"]] = (activity, item)
    db.session.flush()
    for number, (activity, item) in by_number.items():
        parent_number = number.rsplit(".", 1)[0] if "." in number else None
        activity.parent_id = by_number[parent_number][0].id if parent_number else None
        if item["milestone"]:
            marker = db.session.execute(select(Milestone).where(
                Milestone.municipality_id == municipality.id, Milestone.activity_id == activity.id)).scalar()
            if marker is None:
                marker = Milestone(municipality_id=municipality.id, plan=plan, activity_id=activity.id)
                db.session.add(marker)
            marker.kind, marker.title = item["milestone"], activity.title
            marker.due_on = activity.ends_on or activity.starts_on or date.today()
    if publish and not plan.is_published:
        plan.publish()
    db.session.flush()
    view = services.progress.totals(
        [services.progress.Item(id=i, cost=a.cost, horizon=a.horizon.name if a.horizon else "",
                                parent_id=a.parent_id) for i, (a, _) in enumerate(by_number.values())])
    return ImportResult(plan, created, updated, view.total, view.by_horizon)


def matrix_rows(view) -> list[list]:
    """The follow-up matrix: one row per activity, in the plan's order."""
    rows = []
    for activity in view.activities:
        verification = activity.verification_url or activity.verification_text
        rows.append([activity.number, activity.title, period_text(activity), "sí" if activity.done else "no",
                     verification, activity.limitation, activity.observations])
    return rows


def period_text(activity) -> str:
    """A plain-text period for files: ``2014-02 – 2014-03``, ``2014-05-12 – 2014-06-30``, ``permanente``."""
    if activity.permanent:
        return "permanente"
    if activity.starts_on is None:
        return ""
    fmt = (lambda d: d.strftime("%Y-%m")) if activity.period_unit == "month" else (lambda d: d.isoformat())
    start, end = fmt(activity.starts_on), fmt(activity.ends_on) if activity.ends_on else ""
    return start if not end or end == start else f"{start} – {end}"


def import_matrix(municipality, plan: Plan, data: bytes, filename: str) -> int:
    """Re-import a filled matrix: done, verification, limitation and observations by number."""
    rows = read_table(data, filename, MATRIX_COLUMNS, required=("number", "done"))
    activities = {a.number: a for a in db.session.execute(select(Activity).where(
        Activity.municipality_id == municipality.id, Activity.plan_id == plan.id)).scalars()}
    problems, changes = [], []
    for row in rows:
        n = row["_row"]
        number = str(row.get("number") or "").strip()
        if number.endswith(".0") and isinstance(row.get("number"), float):
            number = number[:-2]
        activity = activities.get(number)
        if activity is None:
            problems.append(Problem(n, "number", _l("el plan no tiene la actividad número «%(number)s»", number=number)))
            continue
        done = _bool(row.get("done"), n, "done", problems)
        changes.append((activity, done, str(row.get("verification") or "").strip(),
                        str(row.get("limitation") or "").strip(), str(row.get("observations") or "").strip()))
    if problems:
        raise TableError(problems, getattr(rows, "headers", None))
    for activity, done, verification, limitation, observations in changes:
        if done:
            activity.done, activity.state, activity.progress = True, DONE, Decimal(100)
        elif activity.done:
            activity.done, activity.state = False, IN_PROGRESS
        if verification.startswith(("http://", "https://")):
            activity.verification_url = verification[:500]
        elif verification != (activity.verification_url or activity.verification_text):
            activity.verification_text = verification[:300]
        activity.limitation, activity.observations = limitation, observations
    db.session.flush()
    return len(changes)
