"""One way to page lists: ``paginate(select, per_page)`` reads ``?page=``."""
from flask import current_app, request

from portal.extensions import db


def paginate(statement, per_page: int | None = None):
    """Run a ``select()`` one page at a time; returns Flask-SQLAlchemy's Pagination."""
    per_page = per_page or current_app.config["PAGE_SIZE"]
    return db.paginate(statement, page=request.args.get("page", 1, type=int),
                       per_page=per_page, max_per_page=200, error_out=False)
