"""What complaints publish to the rest of the portal: the rows of the open dataset and
the share resolved on time for the comparisons."""
from datetime import date, timedelta

from portal.core.registry import Collected
from portal.participation.complaints import sources, staff

KEEP = ("id", "created_at", "category_code", "category", "district", "neighbourhood", "status", "closed_at",
        "days_to_resolve", "service_days", "overdue", "supports", "reopen_count", "confirmation", "channel")


def reports(municipality, offset: int = 0):
    """Anonymized reports: no name, e-mail, phone, tracking code, coordinates, address or
    free text (which may name people); hidden reports are left out. ``offset`` skips rows
    in the database (the API's pages of a million complaints)."""
    for row in staff.export_rows(municipality, staff.InboxFilters(), visible_only=True, offset=offset):
        out = {key: row[key] for key in KEEP}
        out["created_at"] = row["created_at"].date()
        out["closed_at"] = row["closed_at"].date() if row["closed_at"] else None
        yield out


def comparison_values(municipality, today: date, metrics) -> dict:
    """The share resolved on time over the last 12 months, and over the 12 months before."""
    current = sources.resolved_on_time(municipality, today)
    if current is None:
        return {}
    earlier = today - timedelta(days=365)
    previous = sources.resolved_on_time(municipality, earlier)
    return {"complaints.resolved_on_time": Collected(
        today.isoformat(), current.value, earlier.isoformat() if previous else "",
        previous.value if previous else None, today, detail=current.detail, url=current.url or "")}
