"""Staff administration: a municipality's members and roles, a municipality's first admin."""
from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from portal.accounts import services
from portal.accounts.forms import (
    FirstAdminForm,
    GrantRoleForm,
    InviteForm,
    PostForm,
    role_label,
)
from portal.accounts.permissions import platform_admin, roles_required
from portal.core.tenancy import tenant_blueprint
from portal.extensions import db
from portal.municipalities.models import Municipality

members = tenant_blueprint("members", __name__, "/admin/members")
platform = Blueprint("platform_accounts", __name__, url_prefix="/admin")


@members.route("")
@roles_required("admin")
def index():
    return _members_page(InviteForm())


def _members_page(invite_form, status=200):
    municipality = g.municipality
    return render_template("accounts/members.html", people=services.members(municipality),
                           invitations=services.pending_invitations(municipality), invite_form=invite_form,
                           grant_form=GrantRoleForm(), post_form=PostForm()), status


@members.route("/invite", methods=["POST"])
@roles_required("admin")
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        services.invite(g.municipality, form.email.data, form.role.data)
        db.session.commit()
        flash(_("Invitación enviada a %(email)s como %(role)s.",
                email=services.normalize_email(form.email.data), role=role_label(form.role.data)), "success")
        return redirect(url_for("members.index"))
    return _members_page(form, 400)


@members.route("/<int:user_id>/grant", methods=["POST"])
@roles_required("admin")
def grant(user_id):
    person = next((user for user, _ in services.members(g.municipality) if user.id == user_id), None)
    form = GrantRoleForm()
    if person is None:
        abort(404)  # only people who already hold a role here; others are invited
    if form.validate_on_submit():
        services.grant(person, g.municipality, form.role.data)
        db.session.commit()
        flash(_("Rol %(role)s concedido.", role=role_label(form.role.data)), "success")
    return redirect(url_for("members.index"))


@members.route("/roles/<int:membership_id>/revoke", methods=["POST"])
@roles_required("admin")
def revoke(membership_id):
    form = PostForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        membership = services.revoke(g.municipality, membership_id)
    except services.AccountError as error:
        flash(str(error), "error")
    else:
        if membership is None:
            abort(404)
        db.session.commit()
        flash(_("Rol %(role)s retirado.", role=role_label(membership.role)), "success")
    return redirect(url_for("members.index"))


@members.route("/invitations/<int:invitation_id>/cancel", methods=["POST"])
@roles_required("admin")
def cancel_invitation(invitation_id):
    if not PostForm().validate_on_submit():
        abort(400)
    if services.cancel_invitation(g.municipality, invitation_id) is None:
        abort(404)
    db.session.commit()
    flash(_("Invitación cancelada: su enlace ya no sirve."), "success")
    return redirect(url_for("members.index"))


@platform.route("/municipalities/first-admin", methods=["GET", "POST"])
@platform_admin
def first_admin():
    form = FirstAdminForm(municipality=request.args.get("slug"))
    form.municipality.choices = [
        SelectChoice(m.slug, m.name) for m in db.session.execute(select(Municipality).order_by(Municipality.name)).scalars()]
    if form.validate_on_submit():
        municipality = db.session.execute(
            select(Municipality).where(Municipality.slug == form.municipality.data)).scalar_one()
        services.invite(municipality, form.email.data, "admin")
        db.session.commit()
        flash(_("Invitación de administración de %(name)s enviada a %(email)s.", name=municipality.name,
                email=services.normalize_email(form.email.data)), "success")
        return redirect(url_for("platform_accounts.first_admin"))
    return render_template("accounts/first_admin.html", form=form)

