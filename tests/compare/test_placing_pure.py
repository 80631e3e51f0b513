"""The pure pieces a placement relies on agree with the whole computations they stand in for."""
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from portal.compare import metrics, peers, ranking

values = st.lists(st.one_of(st.none(), st.integers(0, 6).map(D)), min_size=1, max_size=25)


@given(values, st.data())
def test_one_rank_among_the_others_is_the_rank_the_whole_pool_gives(pool, data):
    ranks = peers.percentile_ranks(dict(enumerate(pool)))
    key = data.draw(st.integers(0, len(pool) - 1))
    known = sorted(v for v in pool if v is not None)
    assert peers.rank_among(pool[key], known) == ranks.get(key)


@given(values, st.data())
def test_one_group_among_the_others_is_the_group_the_whole_pool_gives(pool, data):
    groups = peers.capacity_groups(dict(enumerate(pool)))
    key = data.draw(st.integers(0, len(pool) - 1))
    known = sorted((v, k) for k, v in enumerate(pool) if v is not None)
    assert peers.group_among((pool[key], key), known) == groups[key]


rows = st.lists(st.tuples(st.one_of(st.none(), st.integers(-3, 3).map(D)), st.one_of(st.none(), st.integers(-3, 3).map(D)),
                          st.one_of(st.none(), st.integers(-3, 3).map(D)), st.sampled_from(["Ana", "ana", "Bea", "Ñuñoa", "Zu"]),
                          st.sampled_from([None, 1, 2])), min_size=1, max_size=20)


@given(rows, st.sampled_from(metrics.builtin()))
def test_order_keys_sort_rows_as_the_arrangement_places_them(drawn, metric):
    made = [ranking.Row(i, name, group, value, previous, expected, ranked=value is not None)
            for i, (value, previous, expected, name, group) in enumerate(drawn)]
    placements, placed = ranking.arrange(metric, made)
    for by in ranking.ORDERS:
        for placement in placements:
            members = [r for r in made if r.group == placement.key]
            by_key = sorted(members, key=lambda r: ranking.order_key(metric, by, r.value, r.previous, r.expected,
                                                                     r.name, r.key))
            assert [placed[r.key].seq[by] for r in by_key] == list(range(placement.start,
                                                                       placement.start + placement.size))
