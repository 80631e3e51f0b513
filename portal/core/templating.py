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

    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["url_endpoints"] = app.view_functions
