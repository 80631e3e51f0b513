"""What each service costs: the public page (every figure with its numbers, and a fee
reform to simulate without an account). Routes join the finance blueprint."""
from flask import abort, g, render_template, request

from portal.accounts.permissions import public
from portal.core import bounds
from portal.finance import costs_services, services
from portal.finance.revenue_forms import FeeReformForm
from portal.finance.views import bp


@bp.route("/costos-servicios")
@public
def costs():
    """The year's cost study (the latest by default); ``?service=&fee=&payers=&collection_rate=``
    simulates a fee reform."""
    studies = costs_services.studies(g.municipality)
    year = bounds.query_year("year")
    study = next((s for s in studies if s.year == year), None) if year is not None else \
        (studies[-1] if studies else None)
    if year is not None and study is None:
        abort(404)
    result = costs_services.computed(study) if study is not None else None
    form, reform = None, None
    if result is not None:
        form = FeeReformForm(request.args if "service" in request.args else None)
        form.service.choices = [(r.service.code, r.service.name) for r in result.services]
        if "service" in request.args and form.validate():
            try:
                reform = costs_services.reform(study, form.service.data, form.fee.data, form.payers.data,
                                               form.collection_rate.data)
            except services.FinanceError as error:
                form.fee.errors.append(str(error))
    return render_template("finance/costs.html", study=study, result=result, years=[s.year for s in studies],
                           form=form, reform=reform)
