"""Counts agree with their nouns ("1 apoyo", "2 apoyos"): every count-with-noun goes
through ngettext, in templates and in code."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Spanish plural nouns that follow a count somewhere in the portal.
NOUNS = ("apoyos", "días", "reportes", "puntos", "papeletas", "actividades", "personas", "filas", "votos",
         "habitantes", "respuestas", "opciones", "obras", "valores", "municipios", "reglas", "votantes",
         "entradas", "campos", "años", "encuestas", "planes", "propuestas", "diagnósticos", "distritos",
         "proyectos", "preferidos")
COUNT_THEN_NOUN = re.compile(r"""\b_l?\(\s*(['"])((?:(?!\1).)*?%\(\w+\)[sd] (?:de %\(\w+\)[sd] )?("""
                             + "|".join(NOUNS) + r""")\b(?:(?!\1).)*)\1""")
# Counts that are never one (a minimum age, a page size, a row limit).
KNOWN = {"desde los %(n)s años", "Se muestran %(n)s municipios por página",
         "actualización esperada cada %(days)s días", "Comparación recalculada: %(n)s municipios",
         "El archivo tiene más de %(limit)s filas", "elija entre %(a)s y %(b)s proyectos", "Para votar en este proceso se necesita una edad mínima de"}


def _sources():
    for folder, pattern in (("templates", "*.html"), ("portal", "*.py")):
        for path in sorted((ROOT / folder).rglob(pattern)):
            yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def test_no_count_with_a_plural_noun_outside_ngettext():
    offenders = [f"{name}: {match.group(2)}" for name, text in _sources() if name not in KNOWN
                 for match in COUNT_THEN_NOUN.finditer(text)
                 if not any(match.group(2).startswith(known) for known in KNOWN)]
    assert offenders == []


@pytest.mark.parametrize("text, found", [
    ("_('%(n)s apoyos', n=x)", True), ('_("plazo %(n)s días", n=d)', True), ("_l('%(n)s votos')", True),
    ("ngettext('%(num)s apoyo', '%(num)s apoyos', n)", False), ("_('Papeletas contadas')", False)])
def test_the_scan_finds_what_it_should(text, found):
    assert bool(COUNT_THEN_NOUN.search(text)) is found


@pytest.mark.parametrize("population, words", [(1, "1 habitante"), (2, "2 habitantes"), (7567, "7,567 habitantes")])
def test_one_inhabitant_is_singular(client, make, population, words):
    town = make.municipality(name="Caserío", population=population)
    html = client.get(f"/m/{town.slug}/").get_data(as_text=True)
    assert f"· {words}</p>" in html


@pytest.mark.parametrize("text", [
    "_('Elija como máximo %(n)s proyectos.', n=x)", "_('%(n)s entradas', n=page.total)",
    "_('ordene sus %(n)s preferidos', n=k)", "_('Plan importado: %(created)s actividades nuevas')"])
def test_the_scan_finds_the_counts_it_once_let_through(text):
    assert COUNT_THEN_NOUN.search(text) and not any(text.startswith(f"_('{known}") for known in KNOWN)
