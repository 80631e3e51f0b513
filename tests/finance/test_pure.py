"""Pure modules: the safe evaluator, every indicator formula on a hand-computed case,
and projections (the plan's example)."""
from decimal import Decimal as D
from fractions import Fraction as F

import pytest

from portal.finance import classifier, expressions, projections, ratios

@pytest.mark.parametrize("text", [
    "a.b", "f(x)", "2**3", "a ** b", "'s'", '"s"', "[x for x in y]", "a if b else c", "a < b", "x[0]",
    "1e5", "__import__('os')", "lambda: 1", "a, b", "", "   ", "(a + b", "a +", "a b", "{a}", "a % b",
    "a // b", "not a", "a and b", "__class__.__bases__", "1_000", "((((((((((((((((((((((((((((((((((((((((((a"
    "))))))))))))))))))))))))))))))))))))))))))", "a;b", "a = 1", "0x10",
])
def test_evaluator_refuses_anything_but_arithmetic(text):
    with pytest.raises(expressions.FormulaError):
        expressions.parse(text)


@pytest.mark.parametrize("text, expected", [
    ("1 + 2 * 3", D(7)), ("(1 + 2) * 3", D(9)), ("-a + b", D(1)), ("a - -b", D(5)), ("0.60 - b / 10", D("0.30")),
    ("10 / 4", D("2.5")), ("+a", D(2)), ("a - b - b", D(-4)), ("12 / 2 / 3", D(2)),
])
def test_evaluator_computes_exactly(text, expected):
    assert expressions.evaluate(expressions.parse(text), {"a": D(2), "b": D(3)}) == expected


def test_evaluator_reports_missing_names_and_zero_denominators():
    with pytest.raises(expressions.NotComputable) as missing:
        expressions.evaluate(expressions.parse("a / c + d"), {"a": D(1)})
    assert missing.value.missing == ("c", "d")
    with pytest.raises(expressions.NotComputable) as zero:
        expressions.evaluate(expressions.parse("a / (b - b)"), {"a": D(1), "b": D(2)})
    assert "zero denominator" in zero.value.reason and "b - b" in zero.value.reason


def test_render_plugs_numbers_and_keeps_parentheses():
    tree = expressions.parse("0.60 - (p + q) / (r + s)")
    assert expressions.render(tree) == "0.60 - (p + q) / (r + s)"
    assert expressions.render(tree, {"p": D(1), "q": D(2)}) == "0.60 - (1 + 2) / (r + s)"
    assert expressions.names(tree) == ["p", "q", "r", "s"]


def L(code, approved=None, accrued=None, cash=None, tags=()):  # noqa: N802
    return ratios.Line(code, code, D(approved) if approved is not None else None, None,
                       D(accrued) if accrued is not None else None, D(cash) if cash is not None else None, tags)


CASE = ratios.YearData(2020, (
    L("11", 100, 80, 60), L("12", 200, 160, 140), L("14", None, 10, 10), L("16", 300, 300, 300),
    L("22", 500, 400, 400), L("21", None, 50, 50), L("51", 250, 200, 200), L("54", 150, 100, 100),
    L("61.01", 400, 200, 150, ("infraestructura",)), L("61.02", 100, 50, 50), L("71", 80, 80, 80),
), {"saldo_deuda": D(900), "pasivo_circulante": D(30), "deuda_corto_plazo": D(20), "intereses": D(10),
    "ahorro_operacional": D(250), "intereses_ejercicio_anterior": D(50)})
PREVIOUS = ratios.YearData(2019, (), {"ingresos_operacionales": D(600)})

# Hand-computed: accrued propios 250, corrientes 550, totales 1000; cash propios 210,
# corrientes 510, totales 960; approved totales 1100; expenses accrued: corrientes 300,
# inversión 250 (infraestructura 200), deuda 80, total 630; approved corrientes 400,
# inversión 500, total 980.
EXPECTED = {
    "autonomia_financiera": (F(250, 1000), "meets"), "participacion_tasas": (F(140, 210), "no_threshold"),
    "participacion_impuestos": (F(60, 210), "no_threshold"), "eficacia_recaudacion": (F(200, 240), "fails"),
    "autonomia_operativa": (F(510, 300), "meets"), "eficiencia_gasto": (F(300, 510), "meets"),
    "participacion_gasto_operativo": (F(300, 630), "no_threshold"), "gasto_personal": (F(200, 510), "meets"),
    "eficacia_administrativa": (F(300, 400), "no_threshold"), "ahorro_corriente": (F(210), "meets"),
    "subsidio_gasto_corriente": (1 - F(210, 300), "no_threshold"),
    "participacion_inversion": (F(250, 550), "no_threshold"), "inversion_infraestructura": (F(200, 250), "no_threshold"),
    "servicio_deuda": (F(80, 630), "no_threshold"), "capacidad_pago": (F(6, 10) - F(60, 300), "meets"),
    "limite_endeudamiento": (F(900, 600), "meets"), "resultado_presupuestario": (F(960 - 630), "no_threshold"),
    "ejecucion_ingresos": (F(960, 1100), "fails"), "ejecucion_egresos": (F(630, 980), "meets"),
    "ejecucion_inversion": (F(250, 500), "no_threshold"),
}


def _results():
    cls = classifier.for_country("SV")
    return {r.code: r for r in ratios.compute(ratios.DEFAULT_CATALOG, 2020, ratios.variables(cls, CASE),
                                              ratios.variables(cls, PREVIOUS))}


def test_catalog_has_the_twenty_codes():
    assert [d.code for d in ratios.DEFAULT_CATALOG] == list(EXPECTED)


@pytest.mark.parametrize("code", list(EXPECTED))
def test_each_formula_on_a_hand_computed_case(code):
    result = _results()[code]
    value, status = EXPECTED[code]
    assert isinstance(result.value, D)
    assert abs(F(result.value) - value) < F(1, 10**25), (code, result.value, float(value))
    assert result.status == status


def test_absent_phase_is_not_zero_and_reason_is_given():
    cls = classifier.for_country("SV")
    data = ratios.YearData(2020, (L("11", accrued=5), L("51", accrued=4)))
    values = ratios.variables(cls, data)
    assert values["ingresos_totales_devengado"] == 5 and values["inversion_devengado"] == 0
    assert "ingresos_totales_percibido" not in values  # no line has a cash amount
    result = ratios.compute_one(ratios.DEFAULT_CATALOG[4], 2020, values)  # autonomia_operativa
    assert result.status == "not_computable" and "ingresos_corrientes_percibido" in result.reason
    zero = ratios.compute_one(ratios.DEFAULT_CATALOG[19], 2020, values)  # ejecucion_inversion
    assert zero.status == "not_computable"


def test_zero_denominator_is_not_computable():
    cls = classifier.for_country("SV")
    values = ratios.variables(cls, ratios.YearData(2020, (L("11", 0, 0, 0), L("61", 0, 0, 0))))
    result = ratios.compute_one(ratios.DEFAULT_CATALOG[19], 2020, values)
    assert result.status == "not_computable" and result.reason.startswith("zero denominator")


def test_classifier_loads_from_a_file_and_checks_codes():
    cls = classifier.parse_classifier("code,name,kind,aggregates\n1,Impuestos,income,ingresos_totales\n"
                                      "2,Gastos,expense,egresos_totales\n")
    assert classifier.check_code(cls, "1.01") is None
    assert classifier.check_code(cls, "11") == "rubro"
    assert classifier.check_code(classifier.for_country("SV"), "61.PP.3") is None
    assert classifier.check_code(classifier.for_country("SV"), "6 1") == "format"
    with pytest.raises(ValueError):
        classifier.parse_classifier("code,name,kind,aggregates\n1,X,other,\n")


def test_catalog_definitions_are_validated():
    with pytest.raises(ValueError, match="nuevo"):
        ratios.load_catalog('[{"code": "nuevo", "name": "N", "formula": "a.__class__"}]')
    extra = ratios.load_catalog('[{"code": "mora", "name": "Mora", "formula": "mora_impuestos / impuestos_devengado",'
                                ' "direction": "<=", "threshold": "0.05"}]')
    assert extra[0].threshold == D("0.05")


def test_projection_percentage_matches_the_plan_example():
    result = projections.project({"11": D("10744.10")},
                                 [projections.Rule("11", "percentage", 2014, 2018, rate=D("0.05"))], 2013)
    assert projections.cents(result[2014]["11"]) == D("11281.31")
    assert projections.cents(result[2015]["11"]) == D("11845.37")
    assert result[2014]["11"] == D("11281.305")  # exact, not rounded between years
    assert sorted(result) == [2014, 2015, 2016, 2017, 2018]


def test_projection_methods():
    base = {"11": D(100), "12": D(200), "51": D(50)}
    rules = [
        projections.Rule("11", "percentage", 2014, 2014, rate=D("0.10")),
        projections.Rule("11", "percentage", 2015, 2016, rate=D("-0.10")),
        projections.Rule("12", "percentage", 2014, 2016, rate=D("0.05")),
        projections.Rule("12.RO", "oneoff", 2015, amount=D(30)),
        projections.Rule("11.MORA", "direct", 2014, 2014, amount=D("7.5")),
        projections.Rule("51", "average", 2014, 2016),
    ]
    out = projections.project(base, rules, 2013, history={2012: {"51": D(70)}})
    assert out[2014]["11"] == D("110.0") and out[2015]["11"] == D("99.00") and out[2016]["11"] == D("89.100")
    assert out[2014]["11.MORA"] == D("7.5") and "11.MORA" not in out[2015]
    assert out[2015]["12.RO"] == D(30) and "12.RO" not in out[2016]
    assert out[2015]["12"] == D(200) * D("1.05") ** 2
    assert out[2016]["12"] == (D(200) * D("1.05") ** 2 + 30) * D("1.05")  # absorbed from 2016
    assert out[2014]["51"] == D(60) and out[2016]["51"] == D(60)  # mean of 2012 and 2013


def test_lines_without_rules_carry_forward_and_rules_are_checked():
    out = projections.project({"21": D(160)}, [projections.Rule("11", "percentage", 2014, 2015, rate=D("0.1"))], 2013)
    assert out[2015]["21"] == D(160)
    assert projections.check_rule(projections.Rule("11", "percentage", 2014)) == "rate"
    assert projections.check_rule(projections.Rule("11", "grow", 2014)) == "method"
    assert projections.check_rule(projections.Rule("11", "direct", 2015, 2014, amount=D(1))) == "years"
    assert projections.check_rule(projections.Rule("11", "oneoff", 2015)) == "amount"
    assert projections.check_rule(projections.Rule("11", "oneoff", 2015, amount=D(1))) is None
