"""Atom feeds out, and the admin page of news feeds in."""
import json
from functools import partial

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from portal.core.forms import Form
from wtforms import StringField
from wtforms.validators import URL, DataRequired, Length

from portal.accounts.permissions import public, role_label, roles_required
from portal.core.clock import utcnow
from portal.audit import services as audit
from portal.core import registry
from portal.core.api import api_blueprint
from portal.core.i18n import language
from portal.core.tenancy import tenant_blueprint
from portal.extensions import db
from portal.opendata import atom, services, texts
from portal.opendata.models import NewsFeed

bp = Blueprint("opendata", __name__)
tenant = tenant_blueprint("feeds", __name__)
admin = tenant_blueprint("feeds_admin", __name__, "/admin/noticias")
api = api_blueprint("changes_api", __name__, "/changes")

GENERAL = _l("General")


def section_label(section: str) -> str:
    """The change record's section as people read it, as its domain declares it (never
    its code; "General" for one no domain names)."""
    return str(registry.section_labels().get(section, GENERAL))

ACTIONS = {"create": _l("creó"), "update": _l("actualizó"), "delete": _l("eliminó"), "publish": _l("publicó"),
           "unpublish": _l("retiró")}


def entry_summary(record, municipality, count: int) -> str:
    """What an entry says to a person in a feed reader, in the feed's language: who changed
    what where, how many changes came with it, the note, and which open data it touched."""
    from portal.opendata import datasets

    place = municipality.name if municipality else "Cabildo"
    text = _("%(place)s %(action)s «%(what)s» en %(section)s.", place=place,
             action=ACTIONS.get(record.action, record.action), what=record.summary,
             section=section_label(record.section))
    if count > 1:
        text += " " + ngettext("Con %(num)d cambio más publicado al mismo tiempo.",
                               "Con %(num)d cambios más publicados al mismo tiempo.", count - 1)
    if record.note:
        text += " " + _("Nota: %(note)s", note=record.note)
    touched = [_(d.title) for d in datasets.all_datasets() if record.section in services.topics().get(d.topic, ())]
    if touched:
        text += " " + _("Datos abiertos actualizados: %(datasets)s.", datasets=", ".join(touched))
    return text


def _entries(publications, municipalities):
    entries = []
    for item in publications:
        record = item.first
        municipality = municipalities.get(record.municipality_id)
        slug = municipality.slug if municipality else None
        link = url_for("municipality.home", slug=slug, _external=True) if slug else url_for("municipalities.index", _external=True)
        if slug and "audit.entry" in _endpoints():
            link = url_for("audit.entry", slug=slug, seq=record.seq, _external=True)
        title = f"{municipality.name + ': ' if municipality else ''}{section_label(record.section)} · " \
                f"{ACTIONS.get(record.action, record.action)} {record.summary}"
        if item.count > 1:
            title += f" (+{item.count - 1})"
        entries.append(atom.Entry(
            id=f"tag:cabildo,2026:change/{record.chain}/{record.seq}", title=title,
            updated=item.updated, author=role_label(record.actor_role), link=link,
            summary=entry_summary(record, municipality, item.count), categories=(record.section,),
            enclosure=url_for("changes_api.change", slug=slug, change_id=record.id, _external=True) if slug else None,
            more_enclosures=_dataset_enclosures(slug, record.section)))
    return entries


def _dataset_enclosures(slug, section):
    """The CSV of each open dataset of the entry's topic: the data the publication changed."""
    from portal.opendata import datasets

    if not slug:
        return ()
    return tuple((url_for("datasets_api.csv_es", slug=slug, key=d.key, _external=True), "text/csv")
                 for d in datasets.all_datasets() if section in services.topics().get(d.topic, ()))


def _endpoints():
    from flask import current_app

    return current_app.view_functions


def _atom_response(body: bytes) -> Response:
    return Response(body, mimetype="application/atom+xml; charset=utf-8")


@bp.route("/api/v1/")
@public
def api_index():
    """The read API's entry point: where its OpenAPI document is."""
    return {"openapi": url_for("opendata.openapi", _external=True),
            "docs": url_for("opendata.api_docs", _external=True),
            "municipalities": url_for("opendata.api_municipalities", _external=True)}


@bp.route("/api/v1/docs")
@public
def api_docs():
    """This reference, as a page: every path, its parameters and the fields of its answer."""
    from portal.opendata.openapi import document, reference

    doc = document()
    return render_template("opendata/api_docs.html", doc=doc, operations=reference(doc),
                           shown=partial(texts.shown, gettext=_))


@bp.route("/api/v1/openapi.json")
@public
def openapi():
    """The OpenAPI 3 document of this API, generated from its routes."""
    from portal.opendata.openapi import document

    return document()


@bp.route("/api/v1/municipalities")
@public
def api_municipalities():
    """Every municipality on the portal.

    :query after: the previous answer's ``next`` (keyset paging; preferred)
    :query page: page number (1-based)
    :query per_page: items per page (at most 500)
    :query country: ISO 3166 code, e.g. SV
    :query format: csv for a CSV download
    """
    from portal.core.api import keyset_paged, wants_csv
    from portal.core.downloads import csv_response
    from portal.municipalities.services import LIST_KEY, search_statement

    statement = search_statement(country=request.args.get("country", ""))
    columns = ["slug", "code", "name", "country", "department", "population", "currency", "locale", "is_example"]

    def row(m):
        return {"slug": m.slug, "code": m.code, "name": m.name, "country": m.country, "department": m.department,
                "population": m.population, "currency": m.currency, "locale": m.locale, "is_example": m.is_example,
                "url": url_for("municipality.home", slug=m.slug, _external=True)}
    if wants_csv():
        # read inside the stream, in the stream's own session (no instance of the view's)
        return csv_response(lambda: (row(m) for m in db.session.execute(statement).scalars()), columns,
                            "municipalities.csv")
    return keyset_paged(statement, LIST_KEY, row)


@bp.route("/feed.atom")
@public
def site_feed():
    items = services.publications(limit=50)
    municipalities = services.municipalities_by_id({i.first.municipality_id for i in items})
    updated = max((i.updated for i in items), default=None) or utcnow()
    return _atom_response(atom.feed(
        id=url_for("opendata.site_feed", _external=True), title="Cabildo: " + _("cambios publicados"),
        self_url=url_for("opendata.site_feed", _external=True), alternate=url_for("municipalities.index", _external=True),
        entries=_entries(items, municipalities), updated=updated, lang=language()))


@tenant.route("/feed.atom", defaults={"topic": None})
@tenant.route("/feed/<topic>.atom")
@public
def municipality_feed(topic):
    if topic is not None and topic not in services.topics():
        abort(404)
    municipality = g.municipality
    items = services.publications(municipality, topic, limit=50)
    updated = max((i.updated for i in items), default=None) or municipality.created_at
    self_url = url_for("feeds.municipality_feed", topic=topic, _external=True)
    return _atom_response(atom.feed(
        id=self_url, title=f"{municipality.name}: " + (section_label(topic) if topic else _("cambios publicados")),
        self_url=self_url,
        alternate=url_for("municipality.home", _external=True),
        entries=_entries(items, {municipality.id: municipality}), updated=updated, lang=language()))


@api.route("/<int:change_id>")
@public
def change(change_id):
    """One change of the municipality's change record: what changed, when, by which role, and its hash chain position."""
    record = audit.record_of(g.municipality, change_id)
    if record is None:
        abort(404)
    return {"id": record.id, "seq": record.seq, "created_at": record.created_at.isoformat(),
            "actor_role": record.actor_role, "action": record.action, "section": record.section,
            "object_type": record.object_type, "object_id": record.object_id, "summary": record.summary,
            "changes": json.loads(record.changes or "{}"), "note": record.note,
            "prev_hash": record.prev_hash, "hash": record.hash}


@admin.app_template_filter("feed_error")
def feed_error(code):
    """A feed's recorded error code as a sentence in the reader's language."""
    from portal.core.outbound import message

    return message(code)


class FeedForm(Form):
    url = StringField(_l("Dirección del canal (RSS o Atom)"), validators=[DataRequired(), URL(), Length(max=500)])
    title = StringField(_l("Nombre"), validators=[Length(max=200)])


@admin.route("/", methods=["GET", "POST"])
@roles_required("admin")
def manage():
    form = FeedForm()
    if form.validate_on_submit():
        try:
            services.add_feed(g.municipality, form.url.data, form.title.data or "")
        except services.FeedError as error:
            form.url.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Canal agregado. Se leerá en la próxima actualización."), "success")
            return redirect(url_for("feeds_admin.manage"))
    return render_template("opendata/feeds_manage.html", form=form, feeds=services.feeds_of(g.municipality))


@admin.route("/<int:feed_id>/quitar", methods=["POST"])
@roles_required("admin")
def remove(feed_id):
    feed = db.session.execute(db.select(NewsFeed).filter_by(id=feed_id, municipality_id=g.municipality.id)).scalar_one_or_none()
    if feed is None:
        abort(404)
    db.session.delete(feed)
    db.session.commit()
    flash(_("Canal quitado."), "success")
    return redirect(url_for("feeds_admin.manage"))


@admin.route("/leer", methods=["POST"])
@roles_required("admin")
def fetch_now():
    for feed in services.feeds_of(g.municipality):
        services.fetch(feed)  # the deadline is the operator's (FEEDS_TIMEOUT), never the form's
    db.session.commit()
    flash(_("Canales leídos."), "success")
    return redirect(url_for("feeds_admin.manage"))
