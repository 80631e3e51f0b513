"""The registry's lookups on hand-made declarations (pure: no app, no database)."""
from datetime import date
from decimal import Decimal

import pytest

from portal.core import registry
from portal.core.registry import (C, Comparison, Dataset, DemoLoader, Domain, Metric, Source, SourceValue,
                                  Topic)


@pytest.fixture
def empty():
    """An empty registry for the test; the portal's declarations come back after it."""
    saved = dict(registry._DOMAINS)
    registry._DOMAINS.clear()
    yield registry
    registry._DOMAINS.clear()
    registry._DOMAINS.update(saved)


def dataset(key, topic):
    return Dataset(key, key.title(), key, "", topic, "GOVE", "GOVE", (), (C("a", "a"),), lambda m: iter(()))


def metric(key):
    return Metric(key, key, key.split(".")[0], "ratio", registry.HIGHER, (), 365)


def test_lists_follow_each_domains_order_not_its_registration(empty):
    empty.register(Domain("b", order=20, datasets=(dataset("b1", "b"), dataset("b2", "b")),
                          topics=(Topic("b", ("b",)),)))
    empty.register(Domain("a", order=10, datasets=(dataset("a1", "a"),), topics=(Topic("a", ("a", "a2")),)))
    assert [d.key for d in empty.datasets()] == ["a1", "b1", "b2"]
    assert empty.topics() == {"a": ("a", "a2"), "b": ("b",)}
    assert [d.key for d in empty.domains()] == ["b", "a"]  # registration order
    assert empty.dataset("b2").key == "b2" and empty.dataset("zz") is None


def test_registering_a_key_again_replaces_it_in_place(empty):
    empty.register(Domain("a", datasets=(dataset("old", "a"),)))
    empty.register(Domain("b"))
    empty.register(Domain("a", datasets=(dataset("new", "a"),)))
    assert [d.key for d in empty.domains()] == ["a", "b"]
    assert [d.key for d in empty.datasets()] == ["new"]
    empty.unregister("a")
    empty.unregister("a")  # twice: nothing to do
    assert [d.key for d in empty.domains()] == ["b"]


def test_sources_are_read_by_key_and_none_when_nobody_declares_one(empty):
    seen = []

    def value(municipality, as_of, param):
        seen.append((municipality, as_of, param))
        return SourceValue(Decimal("0.5"), "n=2")

    empty.register(Domain("x", sources=(Source("x.one", "One", "x", "ratio", value),)))
    assert empty.read("x.one", "m", date(2026, 1, 1), "p") == SourceValue(Decimal("0.5"), "n=2")
    assert seen == [("m", date(2026, 1, 1), "p")]
    assert empty.read("x.two", "m", date(2026, 1, 1)) is None
    assert [s.key for s in empty.sources()] == ["x.one"]


def test_demo_loaders_run_in_their_order_ties_in_registration_order(empty):
    empty.register(Domain("late", demo=DemoLoader(90, lambda: None)))
    empty.register(Domain("tie1", demo=DemoLoader(60, lambda: None)))
    empty.register(Domain("first", demo=DemoLoader(10, lambda: None)))
    empty.register(Domain("tie2", demo=DemoLoader(60, lambda: None)))
    empty.register(Domain("none"))
    assert [key for key, _ in empty.demo_loaders()] == ["first", "tie1", "tie2", "late"]


def test_comparisons_metrics_and_their_sections(empty):
    empty.register(Domain("f", comparison=Comparison(order=20, metrics=(metric("f.a"), metric("f.b")),
                                                     sections=("f",))))
    empty.register(Domain("d", comparison=Comparison(order=10, metrics=(metric("d.a"),), sections=("d",))))
    empty.register(Domain("m", comparison=Comparison(sections=("municipality",))))
    assert [m.key for m in empty.metrics()] == ["d.a", "f.a", "f.b"]
    assert empty.compared_sections() == ("d", "f", "municipality")
    assert empty.urban_shares([1]) == {}  # nobody keeps them: nothing, no error
    empty.set_urban_shares({1: Decimal("0.3")})


def test_cached_endpoints_section_labels_tenant_and_page_version(empty):
    assert empty.find_tenant("x") is None and empty.page_version("x") == ""
    empty.register(Domain("a", cached_endpoints=(("a.index", None), ("a.page", 60)),
                          record_sections=(("a", "Aes"),), tenant=str.upper, page_version=lambda slug: f"v-{slug}"))
    assert empty.cached_endpoints() == {"a.index": None, "a.page": 60}
    assert empty.section_labels() == {"a": "Aes"}
    assert empty.find_tenant("x") == "X" and empty.page_version("x") == "v-x"


def test_a_coded_column_writes_its_spanish_word_only_in_spanish():
    column = C("direction", "direccion", spanish=(("revenue", "ingreso"),), enum=("revenue", ""))
    assert column.value_in("revenue", "es") == "ingreso"
    assert column.value_in("revenue", "en") == "revenue"
    assert column.value_in("other", "es") == "other" and column.value_in(3, "es") == 3
    assert column.enum_in("es") == ["ingreso"]


def test_the_comparisons_default_indicator_is_the_one_a_domain_declares(empty):
    """The comparison page opens on the metric a domain declares ``default``; without one
    on the first headline metric, then the first metric; None when nothing is compared."""
    assert empty.default_metric() is None
    plain, headline = metric("a.plain"), Metric("a.head", "h", "a", "ratio", registry.HIGHER, (), 365, headline=True)
    empty.register(Domain("a", comparison=Comparison(order=10, metrics=(plain,))))
    assert empty.default_metric() == plain
    empty.register(Domain("b", comparison=Comparison(order=20, metrics=(headline,))))
    assert empty.default_metric() == headline
    chosen = Metric("c.chosen", "c", "c", "ratio", registry.HIGHER, (), 365, default=True)
    empty.register(Domain("c", comparison=Comparison(order=30, metrics=(metric("c.other"), chosen))))
    assert empty.default_metric() == chosen


def test_the_portal_compares_its_financial_autonomy_first(app):
    """Today's declarations keep the comparison's page as it was: financial autonomy."""
    assert registry.default_metric().key == "finance.autonomia_financiera"
