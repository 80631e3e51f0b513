"""Template globals shared by every page."""
from flask import g, request


def init_app(app):
    @app.context_processor
    def globals_():
        from portal.core.sections import sections

        return {"municipality": g.get("municipality"), "all_sections": sections}

    def url_with(**changes):
        """The current URL with some query arguments replaced (for filters and paging)."""
        from urllib.parse import urlencode

        args = request.args.to_dict(flat=True)
        for key, value in changes.items():
            if value in (None, ""):
                args.pop(key, None)
            else:
                args[key] = value
        return request.path + ("?" + urlencode(args) if args else "")

    def field_attrs(field, hint=None, **extra):
        """ARIA and input attributes for a form field; absent values are left out."""
        described = []
        if field.errors:
            described.append(f"{field.id}-error")
        if hint:
            described.append(f"{field.id}-hint")
        attrs = {key: value for key, value in extra.items() if value}
        if described:
            attrs["aria-describedby"] = " ".join(described)
        if field.errors:
            attrs["aria-invalid"] = "true"
        return attrs

    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["field_attrs"] = field_attrs
    app.jinja_env.globals["url_endpoints"] = app.view_functions
