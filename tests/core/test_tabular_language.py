"""Import problems in the reader's language, naming each column as the file wrote it; the
decimal mark of a file's numbers detected."""
from decimal import Decimal

import pytest
from flask_babel import force_locale
from hypothesis import given
from hypothesis import strategies as st

from portal.core.tabular import TableError, detect_decimal_comma, parse_decimal
from portal.finance import importing

BAD_SPANISH = ("año,código,nombre,presupuestado\n"
               "2021,11,Impuestos,abc\n").encode()


def test_a_problem_names_the_column_as_the_file_wrote_it(app, muni):
    with pytest.raises(TableError) as error:
        importing.read(muni, BAD_SPANISH, "x.csv")
    assert [(p.row, p.column) for p in error.value.problems] == [(2, "presupuestado")]


@pytest.mark.parametrize("language, expected", [
    ("es", "fila 2, columna «presupuestado»: «abc» no es un número"),
    ("en", "row 2, column “presupuestado”: “abc” is not a number"),
    ("pt", "linha 2, coluna «presupuestado»: «abc» não é um número"),
])
def test_problems_read_in_the_readers_language(app, muni, language, expected):
    with pytest.raises(TableError) as error:
        importing.read(muni, BAD_SPANISH, "x.csv")
    with app.test_request_context(), force_locale(language):
        assert str(error.value.problems[0]).startswith(expected)


def test_a_missing_column_is_named_in_the_files_own_words(app, muni):
    with pytest.raises(TableError) as error:
        importing.read(muni, "año,nombre,devengado\n2021,x,1\n".encode(), "x.csv")
    assert {p.column for p in error.value.problems} == {"código"}
    with pytest.raises(TableError) as error:
        importing.read(muni, b"year,name,accrued\n2021,x,1\n", "x.csv")
    assert {p.column for p in error.value.problems} == {"code"}


def test_the_import_page_says_it_read_a_decimal_comma(client, login):
    login(role="editor")
    import io

    response = client.post("/m/intipuca/finanzas/importar", data={
        "kind": "lines", "file": (io.BytesIO("año;código;nombre;devengado\n2031;12;Tasas;1.234,56\n".encode()),
                                  "tasas.csv")}, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "usan coma decimal (1.234,56) y se leyeron así" in html
    assert "$1,234.56" in html


@pytest.mark.parametrize("environment, expected", [
    ({"LC_ALL": "en_US.UTF-8"}, "row 2, column “accrued”: “abc” is not a number"),
    ({"LC_ALL": "", "LC_MESSAGES": "", "LANG": "pt_BR.UTF-8"}, "linha 2, coluna «accrued»: «abc» não é um número"),
    ({"LC_ALL": "C.UTF-8", "LC_MESSAGES": "", "LANG": "C.UTF-8"}, "fila 2, columna «accrued»: «abc» no es un número"),
])
def test_the_command_line_speaks_the_operators_language(runner, tmp_path, monkeypatch, environment, expected):
    """The same catalog messages as the web; the language from the environment, else Spanish."""
    bad = tmp_path / "bad.csv"
    bad.write_text("year,code,name,accrued\n2031,11,X,abc\n")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    result = runner.invoke(args=["finance", "import", "intipuca", str(bad), "--yes"])
    assert result.exit_code == 1 and expected in result.output


@pytest.mark.parametrize("cells, expected", [
    (["1.234,56", "12,5"], True), (["1,234.56", "12.5"], False), (["1,234", "1200", ""], None),
    (["1.234,56", "10.5"], None), ([Decimal("12.5"), 3], None), (["3,75"], True), (["$ 1.000,00"], True),
])
def test_detect_decimal_comma(cells, expected):
    assert detect_decimal_comma([{"v": c} for c in cells], ["v"]) is expected


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_a_number_written_with_a_decimal_comma_is_detected_and_read_back(value):
    """Whenever a cell tells its decimal mark, reading with the detected mark gives the number back."""
    dot = f"{value:,.2f}"  # 1,234.56
    comma = dot.replace(",", "_").replace(".", ",").replace("_", ".")  # 1.234,56
    for text, is_comma in ((dot, False), (comma, True)):
        detected = detect_decimal_comma([{"v": text}], ["v"])
        assert detected in (is_comma, None)
        assert parse_decimal(text, decimal_comma=is_comma) == value
