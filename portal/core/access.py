"""The access level a view declares, read by the URL-map walks that prove every route has
one policy (:mod:`portal.accounts.permissions` holds the policies that check people; the
core's own pages only need ``public``)."""


def mark(view, access: str):
    """Record ``access`` on ``view`` (``public``, ``roles:...``, ``signed_in``...)."""
    view.access = access
    return view


def public(view):
    """Anyone, signed in or not."""
    return mark(view, "public")
