"""Residents read the counting rule as a name and a line of explanation, never its code."""
import re

import pytest

from portal.participation.budgeting import services
from portal.participation.budgeting.labels import RULE_EXPLANATIONS, RULE_LABELS
from portal.participation.budgeting.tally import RULES


def _visible(html):
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S))


def test_every_rule_has_a_name_and_an_explanation():
    assert set(RULE_LABELS) == set(RULES) == set(RULE_EXPLANATIONS)
    assert all(str(RULE_LABELS[r]) != r and len(str(RULE_EXPLANATIONS[r])) > 40 for r in RULES)


def test_results_page_names_the_rule_in_words(client, muni):
    published = [(p, r) for p in services.processes(muni) for r in services.results(muni, p)]
    assert published
    for process, result in published:
        html = client.get(f"/m/intipuca/presupuesto/{process.id}/resultados?rule={result.rule}").get_data(as_text=True)
        text = _visible(html)
        assert str(RULE_LABELS[result.rule]) in text and str(RULE_EXPLANATIONS[result.rule]) in text
        assert not re.search(r"\b(greedy|mes-add1(-comparison|-greedy)?|mes)\b", text)


NAMES = {"en": {"greedy": "Most votes first", "mes": "Equal shares", "mes-add1": "Equal shares, with the budget completed"},
         "pt": {"greedy": "Os mais votados primeiro", "mes": "Partes iguais",
                "mes-add1": "Partes iguais, com o orçamento completado"}}


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_rule_names_are_translated(client, muni, lang):
    process = next(p for p in services.processes(muni) if p.rule in NAMES[lang])
    html = client.get(f"/m/intipuca/presupuesto/{process.id}", headers={"Accept-Language": lang}).get_data(as_text=True)
    assert NAMES[lang][process.rule] in html and process.rule not in _visible(html).split()
