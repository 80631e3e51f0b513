"""iCalendar files of a municipality's dated events (:mod:`portal.opendata.ical`):
``/m/<slug>/calendario.ics`` (everything), one per section and one per
participatory-budgeting process. ``?lang=es|en|pt`` chooses the language of the texts
(a calendar application sends no cookie); the interface language otherwise."""
from contextlib import nullcontext

from flask import Response, abort, current_app, g, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.accounts.permissions import public
from portal.core.tenancy import tenant_blueprint
from portal.opendata import ical

bp = tenant_blueprint("calendar", __name__)


def _budgeting(municipality) -> list:
    from portal.participation.budgeting import services

    return [e for p in services.processes(municipality)
            for e in ical.events_for_process(p, url_for("budgeting.process", process_id=p.id, _external=True))]


def _surveys(municipality) -> list:
    from portal.participation.surveys import services

    return [e for s in services.public_surveys(municipality)
            for e in ical.events_for_survey(s, url_for("surveys.detail", survey_id=s.id, _external=True))]


def _roadmap(municipality) -> list:
    from portal.roadmap import services

    out = []
    for item in services.list_plans(municipality):
        plan = services.get_plan(municipality, item["plan"].id)
        out += ical.events_for_plan(plan, url_for("roadmap.plan", plan_id=plan.id, _external=True))
    return out


def _answer(name, collect) -> Response:
    lang = request.args.get("lang")
    if lang is not None and lang not in current_app.config["LANGUAGES"]:
        abort(400, description="lang: one of " + ", ".join(current_app.config["LANGUAGES"]))
    municipality = g.municipality
    with force_locale(lang) if lang else nullcontext():
        body = ical.calendar_bytes(collect(municipality), f"{name()} · {municipality.name}",
                                   ical.zone_of(municipality), ical.host_of(current_app.public_root()))
    filename = request.path.rstrip("/").split("/")[-1]
    return Response(body, content_type=ical.CONTENT_TYPE,
                    headers={"Content-Disposition": f'inline; filename="{filename}"',
                             "Cache-Control": "public, max-age=300"})


@bp.route("/calendario.ics")
@public
def everything():
    return _answer(lambda: _("Calendario cívico"),
                   lambda m: _budgeting(m) + _surveys(m) + _roadmap(m))


@bp.route("/presupuesto/calendario.ics")
@public
def budgeting():
    return _answer(lambda: _("Presupuesto participativo"), _budgeting)


@bp.route("/presupuesto/<int:process_id>/calendario.ics")
@public
def process(process_id):
    from portal.participation.budgeting import services

    found = services.get_process(g.municipality, process_id)
    if found is None:
        abort(404)
    url = url_for("budgeting.process", process_id=found.id, _external=True)
    return _answer(lambda: found.title, lambda m: ical.events_for_process(found, url))


@bp.route("/encuestas/calendario.ics")
@public
def surveys():
    return _answer(lambda: _("Encuestas"), _surveys)


@bp.route("/hoja-de-ruta/calendario.ics")
@public
def roadmap():
    return _answer(lambda: _("Hoja de ruta"), _roadmap)
