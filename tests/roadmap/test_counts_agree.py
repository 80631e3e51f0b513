"""The plan page counts activities one way: the summary's "N de M actividades" and the
list's "N actividades mostradas" both count activities, sub-activities apart."""
import re
from datetime import date

from sqlalchemy import select


def test_summary_and_list_count_the_same_activities(client, db, muni):
    from portal.roadmap import services
    from portal.roadmap.models import Plan

    plan = db.session.scalars(select(Plan).where(Plan.municipality_id == muni.id,
                                                 Plan.title.startswith("Plan de Rescate"))).one()
    view = services.plan_view(muni, plan, date.today())
    subs = sum(1 for a in view.activities if a.parent_id is not None)
    html = client.get(f"/m/intipuca/hoja-de-ruta/{plan.id}").get_data(as_text=True)
    done, total = map(int, re.search(r"(\d+) de (\d+) actividades realizadas", html).groups())
    shown = int(re.search(r"(\d+) actividades mostradas", html).group(1))
    assert shown == view.counts.total and total == view.counts.total - view.counts.cancelled
    if subs:
        assert f"(y {subs} subactividad" in html
    else:
        assert "subactividad" not in html
