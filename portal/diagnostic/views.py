"""Public pages of a municipality's diagnostic: Resultado Global, dimensions, areas,
sub-areas, indicators (with history), conclusions; always the evolution between
assessments."""
from flask import abort, g, render_template, request
from flask_babel import gettext as _

from portal.accounts.permissions import public
from portal.core.tenancy import tenant_blueprint
from portal.diagnostic import charts, services

bp = tenant_blueprint("diagnostic", __name__, "/diagnostico")


def _chosen():
    """Every published result and the one chosen by ``?assessment=`` (404 if unknown)."""
    results = services.published_results(g.municipality)
    result = services.pick(results, request.args.get("assessment"))
    if results and result is None:
        abort(404)
    return results, result


def _chart(results, result):
    if result is None:
        return None
    x, y = result.composite("x"), result.composite("y")
    if x is None or y is None:
        return None
    points = [(r.assessment.date.strftime("%m/%Y"), r.score("composites", x.code), r.score("composites", y.code))
              for r in results]
    return charts.trajectory(points, title=_("Resultado Global: trayectoria de los diagnósticos"),
                             x_label=x.name, y_label=y.name, cutoff=result.catalog.cut_alto)


@bp.route("/")
@public
def overview():
    results, result = _chosen()
    return render_template("diagnostic/overview.html", results=results, result=result,
                           chart=_chart(results, result))


@bp.route("/area/<code>/")
@public
def area(code):
    results, result = _chosen()
    if result is None or code not in result.areas:
        abort(404)
    return render_template("diagnostic/area.html", results=results, result=result, area=result.areas[code])


@bp.route("/subarea/<code>/")
@public
def subarea(code):
    results, result = _chosen()
    if result is None or code not in result.subareas:
        abort(404)
    return render_template("diagnostic/subarea.html", results=results, result=result,
                           subarea=result.subareas[code])


@bp.route("/indicador/<code>/")
@public
def indicator(code):
    results, result = _chosen()
    if result is None or code not in result.indicators:
        abort(404)
    item = result.indicators[code]
    live, live_score = services.live_value(g.municipality, item)
    return render_template("diagnostic/indicator.html", results=results, result=result, indicator=item,
                           live=live, live_score=live_score, source=services.source_for(item))
