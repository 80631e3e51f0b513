"""The one way staff upload a finance file: upload → validate whole → preview → confirm or discard.

Every finance import (the budget, revenue potential, loans and supplier plans, the monthly
execution, the cost study) is an :class:`Upload`: its form, how its file is read (every row
checked, :class:`~portal.core.tabular.TableError` naming each bad row and column as the
file wrote them), and what confirming does. :func:`upload_page` and :func:`confirm` are the
two views of every import:

- the upload page validates the form, reads the whole file and shows the preview with a
  signed, expiring token (the file waits server-side, :mod:`portal.finance.staging`); on a
  bad file it shows every problem and keeps what was typed;
- the confirmation reads the kept file again, applies it in one transaction (or nothing,
  with the reason), commits, forgets the file and says what happened.

Roles are the views' (``roles_required``), the municipality is the request's: a token of
another municipality or of another import is refused as an expired preview.
"""
from dataclasses import dataclass, field
from typing import Any, Callable

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from portal.accounts.permissions import can
from portal.core.tabular import TableError
from portal.extensions import db
from portal.finance import services, staging
from portal.finance.forms import ConfirmForm


@dataclass
class Done:
    """What a confirmed upload did: where to go next and what to tell the person.
    ``after`` runs once the transaction is committed (e-mails) and returns more messages."""
    next_url: str
    messages: list[str] = field(default_factory=list)
    after: Callable[[], list[str]] | None = None


@dataclass(frozen=True)
class Upload:
    """One staff import.

    - ``kinds``: the ``kind`` values its tokens carry (a token of another import is refused);
    - ``form``: the form class (with ``file``, ``decimal_comma`` and ``publish`` fields);
    - ``template``: the page, extending ``finance/_upload.html``;
    - ``endpoint`` / ``confirm_endpoint``: its two views;
    - ``options(form)``: the options the file is read with (``kind`` included);
    - ``read(municipality, data, options)``: the plan, or TableError;
    - ``apply(municipality, data, options, plan)``: write it (flush only) and return :class:`Done`;
    - ``check(form, options)``: False, with the reason on the form, when the upload may not go on;
    - ``allowed(options)``: False when the confirmation is forbidden (403);
    - ``context(form, plan)``: more for the template (``plan`` is None but on a preview);
    - ``nothing_written``: the message when confirming failed (``%(error)s``).
    """
    kinds: tuple[str, ...]
    form: type
    template: str
    endpoint: str
    confirm_endpoint: str
    options: Callable[[Any], dict]
    read: Callable[[Any, bytes, dict], Any]
    apply: Callable[[Any, bytes, dict, Any], Done]
    check: Callable[[Any, dict], bool] = lambda form, options: True
    allowed: Callable[[dict], bool] = lambda options: True
    context: Callable[[Any, Any], dict] = lambda form, plan: {}
    nothing_written: Callable[[str], str] = lambda error: _("No se importó nada: %(error)s", error=error)


def upload_page(upload: Upload):
    """The form; after a good file, its preview and the confirmation; after a bad one, every problem."""
    form = upload.form()
    problems, plan, confirm_form = [], None, None
    if form.validate_on_submit():
        data = form.file.data.read(staging.MAX_BYTES + 1)
        options = {"decimal_comma": bool(form.decimal_comma.data),
                   "publish": bool(form.publish.data) and can("publisher"),
                   "filename": form.file.data.filename, **upload.options(form)}
        if len(data) > staging.MAX_BYTES:
            problems = [_("El archivo es demasiado grande (máximo 5 MB).")]
        elif upload.check(form, options):
            try:
                plan = upload.read(g.municipality, data, options)
            except TableError as error:
                problems = error.problems
            else:
                confirm_form = ConfirmForm(token=staging.keep(g.municipality, data, options))
    return render_template(upload.template, form=form, problems=problems, plan=plan, confirm=confirm_form,
                           upload=upload, **upload.context(form, plan))


def confirm(upload: Upload):
    """Apply the previewed file in one transaction, or nothing (with the reason)."""
    form = ConfirmForm()
    kept = staging.load(g.municipality, form.token.data or "") if form.validate_on_submit() else None
    if kept is None or kept[1].get("kind") not in upload.kinds:  # expired, or another import's token
        flash(_("La vista previa caducó; vuelva a subir el archivo."), "error")
        return redirect(url_for(upload.endpoint))
    data, options = kept
    # The roles of now, not of the preview: a publisher's role withdrawn since then no longer publishes.
    options = {**options, "publish": bool(options.get("publish")) and can("publisher")}
    if not upload.allowed(options):
        abort(403)
    try:
        plan = upload.read(g.municipality, data, options)
        done = upload.apply(g.municipality, data, options, plan)
    except (TableError, services.FinanceError) as error:
        db.session.rollback()
        flash(upload.nothing_written(str(error)), "error")
        return redirect(url_for(upload.endpoint))
    db.session.commit()
    staging.discard(options)
    for message in done.messages + (done.after() if done.after else []):
        flash(message, "success")
    return redirect(done.next_url)


def year_guard(get_study, refusal: Callable[[int], str]) -> dict:
    """``check`` and ``allowed`` for an upload that replaces a year's study whole
    (``options["year"]``): an editor may not replace a published one, its figures are public;
    ``refusal(year)`` says so on the form's year."""
    def refused(options) -> bool:
        study = get_study(g.municipality, options["year"], published_only=False)
        return study is not None and study.is_published and not can("publisher")

    def check(form, options) -> bool:
        if refused(options):
            form.year.errors.append(refusal(options["year"]))
            return False
        return True
    return {"check": check, "allowed": lambda options: not refused(options)}


def waiting_message(target: str, rows: int) -> str:
    """Said when an upload would change published figures and waits for a publisher."""
    return _("Filas que cambian cifras publicadas (%(target)s): %(n)s. Esperan a que alguien con permiso "
             "de publicación las publique; hasta entonces se siguen viendo las cifras actuales.",
             n=rows, target=target)
