"""The staff's side of a municipality: their dashboard's contents and the link from each
public page to its management screen.

The link is drawn only for people holding a role in the page's municipality, and only on
pages that are rendered for them: the page cache stores and serves anonymous pages only
(``portal.core.caching``), so the link can never reach a cached page.
"""
from dataclasses import dataclass

from flask import current_app, g, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.accounts.permissions import role_label
from portal.accounts.permissions import effective_roles, may_open
from portal.core.sections import section_of, sections, work_items

DASHBOARD = "municipality.dashboard"
# Screens of the municipality that belong to no section.
OTHER_SCREENS = (("members.index", _l("Miembros y roles")), ("feeds_admin.manage", _l("Noticias que sigue el municipio")))


@dataclass(frozen=True)
class Link:
    url: str
    label: str


def manage_link() -> Link | None:
    """For the municipality's staff: on a public page, the management screen of the
    section it belongs to; on a staff page (or where a section has none), their
    dashboard. None for everyone else, and on the dashboard itself."""
    municipality = g.get("municipality")
    if municipality is None or not current_user.is_authenticated:
        return None
    if not effective_roles(current_user, municipality) or request.endpoint == DASHBOARD:
        return None
    view = current_app.view_functions.get(request.endpoint or "")
    on_staff_page = str(getattr(view, "access", "")).startswith("roles:")  # already managing: the dashboard
    section = section_of((request.endpoint or "").partition(".")[0])
    if section is not None and section.manage and not on_staff_page and may_open(section.manage):
        return Link(url_for(section.manage), _("Gestionar esta sección: %(section)s", section=section.title))
    return Link(url_for(DASHBOARD), _("Panel de gestión de %(name)s", name=municipality.name))


def dashboard(municipality, user) -> dict:
    """What waits for ``user`` (counts from every section, for their roles) and the
    management screens they may open."""
    roles = effective_roles(user, municipality)
    screens = [Link(url_for(s.manage), str(s.title)) for s in sections() if s.manage and may_open(s.manage)]
    screens += [Link(url_for(endpoint), str(label)) for endpoint, label in OTHER_SCREENS if may_open(endpoint)]
    held = sorted(user.roles_in(municipality.id)) or (["platform_admin"] if user.is_platform_admin else [])
    return {"items": work_items(municipality, roles), "screens": screens, "roles": [role_label(r) for r in held]}
