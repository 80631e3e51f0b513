"""The one set of input bounds (portal.core.bounds, portal.core.text, portal.core.forms):
tables of values kept and refused, properties over arbitrary input, and every form of
the portal built on the bounded base form."""
import importlib
import pkgutil
from datetime import date, datetime
from decimal import Decimal

import click
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from wtforms import DateField, DecimalField, IntegerField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional

import portal
from portal.core import bounds, i18n
from portal.core.forms import Form, SubForm
from portal.core.text import clean_text

FAST = settings(max_examples=200, deadline=None, database=None)


@pytest.mark.parametrize("text, expected", [
    ("1234.56", Decimal("1234.56")), ("999999999999.99", Decimal("999999999999.99")), ("0", Decimal(0)),
    ("12.50", Decimal("12.50")), ("1e3", Decimal("1e3")), ("", None), (None, None), (7, Decimal(7)),
])
def test_money_kept(text, expected):
    assert bounds.money_value(text, "Costo") == expected


@pytest.mark.parametrize("text", ["1e400", "NaN", "nan", "Infinity", "-inf", "sNaN", "1000000000000", "1.234",
                                  "-1", "abc", "1,5", "0x10", "²", True])
def test_money_refused_naming_the_field(text):
    with pytest.raises(bounds.OutOfBounds, match="Costo estimado"):
        bounds.money_value(text, "Costo estimado")


@pytest.mark.parametrize("text, kwargs, expected", [
    ("42", {}, 42), (" -7 ", {}, -7), ("2147483647", {}, 2147483647), ("+3", {}, 3), (5.0, {}, 5),
    ("0", {"minimum": 0}, 0),
])
def test_integers_kept(text, kwargs, expected):
    assert bounds.integer_value(text, "n", **kwargs) == expected


@pytest.mark.parametrize("text, kwargs", [
    ("99999999999999999999", {}), ("2147483648", {}), ("²", {}), ("٣", {}), ("1.5", {}), ("1e3", {}),
    ("-1", {"minimum": 0}), (float("nan"), {}), (float("inf"), {}), (True, {}), ("9" * 5000, {}),
])
def test_integers_refused(text, kwargs):
    with pytest.raises(bounds.OutOfBounds):
        bounds.integer_value(text, "page_size", **kwargs)


@pytest.mark.parametrize("text", ["9999-12-31", "0001-01-31", "1899-12-31", "2201-01-01", "31/12/2024", "x"])
def test_dates_refused(text):
    with pytest.raises(bounds.OutOfBounds, match="hasta"):
        bounds.date_value(text, "hasta")


def test_dates_and_times_kept():
    assert bounds.date_value("2026-03-31") == date(2026, 3, 31)
    assert bounds.date_value(datetime(2026, 3, 31, 8)) == date(2026, 3, 31)
    assert bounds.datetime_value("2026-03-31T08:00:00-06:00") == datetime(2026, 3, 31, 14)
    assert bounds.datetime_value("2026-03-31T08:00:00 06:00") == datetime(2026, 3, 31, 2)  # '+' read as a space
    with pytest.raises(bounds.OutOfBounds):
        bounds.datetime_value("9999-12-31T00:00:00Z", "start_date")


@FAST
@given(st.one_of(st.text(max_size=40), st.decimals(allow_nan=True, allow_infinity=True),
                 st.floats(), st.integers()))
def test_money_is_bounded_or_refused(value):
    """Whatever comes in: a Decimal that fits NUMERIC(14, 2), or OutOfBounds; nothing else."""
    try:
        result = bounds.money_value(value, "x", minimum=None)
    except bounds.OutOfBounds:
        return
    if result is not None:
        assert result.is_finite() and abs(result) < Decimal("1e12")
        assert result == result.quantize(Decimal("0.01"))


@FAST
@given(st.one_of(st.text(max_size=40), st.integers(), st.floats()))
def test_integers_are_bounded_or_refused(value):
    try:
        result = bounds.integer_value(value, "x")
    except bounds.OutOfBounds:
        return
    assert result is None or bounds.INT_MIN <= result <= bounds.INT_MAX


@FAST
@given(st.text())
def test_clean_text_leaves_nothing_xml_cannot_carry(value):
    from xml.etree import ElementTree as ET

    cleaned = clean_text(value)
    element = ET.Element("t")
    element.text = cleaned
    parsed = ET.fromstring(ET.tostring(element, encoding="unicode")).text or ""  # well-formed
    assert parsed == cleaned.replace("\r\n", "\n").replace("\r", "\n")  # XML normalises line ends
    assert clean_text(cleaned) == cleaned


def test_clean_text_keeps_tabs_and_line_breaks():
    assert clean_text("Título\x0b con\x1b[31m escape\x00\ttab\r\nlínea") == "Título con[31m escape\ttab\r\nlínea"
    assert clean_text(5) == 5


@pytest.mark.parametrize("value", [Decimal("1e400"), Decimal("-1e400"), Decimal("NaN"), Decimal("Infinity"),
                                   "abc", Decimal("1E-400"), 10 ** 500])
def test_money_and_number_filters_never_fail(app, value):
    with app.test_request_context():
        for shown in (i18n.money(value), i18n.number(value), i18n.percent(value)):
            assert isinstance(shown, str) and shown


def test_filters_show_a_huge_stored_value_in_full(app):
    with app.test_request_context():
        assert i18n.money(Decimal("1e20")).replace(".", "").replace(",", "").startswith("1" + "0" * 20)
        assert i18n.money(Decimal("NaN")) == "—"


def _all_modules():
    for info in pkgutil.walk_packages(portal.__path__, "portal."):
        importlib.import_module(info.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_form_of_the_portal_is_bounded():
    """No form can skip the bounds: every Flask-WTF or WTForms form defined in the
    portal derives from the bounded bases."""
    import wtforms
    from flask_wtf import FlaskForm

    _all_modules()
    loose = [f"{c.__module__}.{c.__qualname__}" for c in _subclasses(wtforms.Form)
             if c.__module__.startswith("portal.") and not issubclass(c, (Form, SubForm))
             and c is not Form and c is not SubForm]
    assert not loose, loose
    assert issubclass(Form, FlaskForm)


class _Sample(Form):
    title = StringField("Título")
    body = TextAreaField("Texto")
    tags = SelectMultipleField("Etiquetas", choices=[SelectChoice("a", "a")], validate_choice=False)
    cost = bounds.MoneyField("Costo estimado", validators=[Optional(), NumberRange(min=1)])
    ratio = DecimalField("Tasa", validators=[Optional(), NumberRange(min=0)])
    count = IntegerField("Población", validators=[Optional()])
    when = DateField("Fecha", validators=[Optional()])


@pytest.mark.parametrize("field, value", [
    ("cost", "1e400"), ("cost", "NaN"), ("cost", "inf"), ("cost", "1.234"), ("ratio", "NaN"), ("ratio", "-inf"),
    ("ratio", "1e20"), ("count", "99999999999999999999"), ("when", "9999-12-31"), ("when", "0001-01-31"),
])
def test_the_base_form_refuses_out_of_bounds_values_saying_why(app, field, value):
    with app.test_request_context(method="POST"):
        form = _Sample(formdata=MultiDict({field: value}), meta={"csrf": False})
        assert not form.validate()
        label = form[field].label.text  # beside the field and in the summary: the message only says why
        assert form[field].errors and label not in form[field].errors[0], form[field].errors
        assert form[field].errors[0].startswith(("como máximo", "escriba", "debe", "la fecha")), form[field].errors


def test_the_base_form_strips_control_characters_and_keeps_good_values(app):
    with app.test_request_context(method="POST"):
        form = _Sample(formdata=MultiDict([("title", "Plaza\x0b nueva\x1b"), ("body", "a\r\nb\tc\x00"),
                                           ("tags", "a\x0b"), ("cost", "1500.5"), ("count", "12"),
                                           ("when", "2026-01-31")]), meta={"csrf": False})
        assert form.validate(), form.errors
        assert form.title.data == "Plaza nueva" and form.body.data == "a\r\nb\tc" and form.tags.data == ["a"]
        assert form.cost.data == Decimal("1500.5") and form.count.data == 12


def test_a_money_field_renders_a_stored_out_of_range_value(app):
    class Edit(Form):
        cost = bounds.MoneyField("Costo")

    class Stored:
        cost = Decimal("1e400")

    with app.test_request_context():
        assert "1" + "0" * 400 in Edit(obj=Stored(), meta={"csrf": False}).cost()


def test_command_line_types_use_the_same_bounds():
    @click.command()
    @click.option("--population", type=bounds.BoundedInt(minimum=0))
    @click.option("--budget-pc", type=bounds.BoundedDecimal(money=True))
    @click.option("--date", "when", type=bounds.BoundedDate())
    @click.option("--name", type=bounds.CleanText())
    def command(population, budget_pc, when, name):
        click.echo(f"{population}|{budget_pc}|{when}|{name!r}")

    from click.testing import CliRunner

    runner = CliRunner()
    ok = runner.invoke(command, ["--population", "5000", "--budget-pc", "12.5", "--date", "2026-01-02",
                                 "--name", "San\x1b Juan"])
    assert ok.exit_code == 0 and ok.output.strip() == "5000|12.5|2026-01-02|'San Juan'"
    for args in (["--population", "99999999999999999999"], ["--budget-pc", "1e400"], ["--date", "9999-12-31"]):
        result = runner.invoke(command, args)
        assert result.exit_code == 2 and "Invalid value" in result.output, (args, result.output)
