"""The pure checks answer with codes; the words come from the catalogs, in each language."""
from decimal import Decimal

import pytest
from flask_babel import force_locale

from portal.finance import classifier, projections, wording


@pytest.mark.parametrize("locale, rule, expected", [
    ("es", projections.Rule("11", "grow", 2014), "método desconocido"),
    ("en", projections.Rule("11", "percentage", 2014), "needs a rate"),
    ("pt", projections.Rule("11", "direct", 2015), "precisa de um valor"),
    ("en", projections.Rule("11", "direct", 2015, 2014, amount=Decimal(1)), "end year is before the start year"),
])
def test_rule_problems_are_sentences_in_the_readers_language(app, locale, rule, expected):
    with app.test_request_context(), force_locale(locale):
        assert expected in str(wording.rule_problem(rule))


def test_code_problems_name_the_rubro_and_the_known_ones(app):
    cls = classifier.parse_classifier("code,name,kind,aggregates\n1,Impuestos,income,ingresos_totales\n"
                                      "2,Gastos,expense,egresos_totales\n")
    with app.test_request_context(), force_locale("en"):
        assert str(wording.code_problem(cls, "11")) == "the rubro “11” is not in the classifier (1, 2)"
        assert "not a valid code" in str(wording.code_problem(cls, "6 1"))
        assert wording.code_problem(cls, "1.01") is None


def test_the_import_preview_names_aggregates_in_words_without_an_equals_sign(client, login):
    import io
    import re

    login(role="editor")
    response = client.post("/m/intipuca/finanzas/importar", data={
        "kind": "lines", "file": (io.BytesIO(b"year,code,name,approved,accrued\n2031,61,Obras,600000,550000\n"),
                                  "obras.csv")}, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Agregados que usan los indicadores" in html
    heads = re.findall(r'<th scope="row">([^<]*)</th>', html)
    assert "Inversión" in " ".join(heads)
    assert not [h for h in heads if h.startswith("=") or re.fullmatch(r"[a-z_]+", h.strip())], heads
