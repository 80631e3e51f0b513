"""The counting rules: the six real elections, pabutools as an oracle, the .pb format."""
import random
from decimal import Decimal
from pathlib import Path

import pytest

from portal.participation.budgeting import pabulib, tally
from portal.participation.budgeting.tally import Ballot, Election, Project

DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "pabulib"
if not DATA.exists():  # the working tree may live elsewhere
    DATA = Path("/work/shared/data/pabulib")

CITY_RULES = [
    ("Netherlands_Assen_2024.pb", "mes-add1"),
    ("Poland_Swiecie_2023.pb", "mes-add1-comparison"),
    ("Poland_Wieliczka_2023_Green_Budget.pb", "mes-add1-comparison"),
    ("Poland_Warszawa_2023_Mokotow.pb", "greedy"),
    ("Poland_Czestochowa_2024_Polnoc.pb", "greedy"),
    ("Poland_Krakow_2025_Podgorze.pb", "greedy"),
]


@pytest.mark.parametrize("name,rule", CITY_RULES)
def test_city_rule_reproduces_selected(name, rule):
    pb = pabulib.read(DATA / name)
    outcome = tally.tally(pabulib.to_election(pb), rule)
    assert set(outcome.selected) == set(pabulib.selected_ids(pb))
    assert outcome.total_cost <= outcome.budget
    file_rows = {r["project_id"]: r for r in pb.projects}
    for p in outcome.projects:  # votes and scores as the city counted them
        row = file_rows[p.id]
        if row.get("votes"):
            assert p.votes == int(Decimal(row["votes"]))
        if row.get("score"):
            assert p.score == int(Decimal(row["score"]))


def test_plain_mes_underspends_and_comparison_keeps_mes_in_wieliczka():
    pb = pabulib.read(DATA / "Poland_Wieliczka_2023_Green_Budget.pb")
    e = pabulib.to_election(pb)
    plain = tally.tally(e, "mes")
    assert plain.total_cost < e.budget * Decimal("0.62")
    assert set(plain.selected) != set(pabulib.selected_ids(pb))
    outcome = tally.tally(e, "mes-add1-comparison")
    assert outcome.note == "comparison_kept_mes"
    assert outcome.per_voter_budget > plain.per_voter_budget


def test_reasons_explain_greedy_and_equal_shares():
    e = Election(Decimal(100), (Project("a", Decimal(60)), Project("b", Decimal(50)),
                                Project("c", Decimal(30)), Project("d", Decimal(10))),
                 tuple([Ballot(("a",))] * 5 + [Ballot(("b",))] * 4 + [Ballot(("c", "d"))] * 2),
                 )
    g = tally.tally(e, "greedy")
    assert g.selected == ("a", "d", "c")  # c and d tie on 2 votes: the cheaper first
    b = g.project("b")
    assert (b.selected, b.votes, b.reason, b.remaining) == (False, 4, "did_not_fit", Decimal(40))
    m = tally.tally(e, "mes")
    # each voter has 100/11; b's four supporters hold 36.36 < 50
    assert m.project("b").reason == "mes_unaffordable"
    assert m.project("b").supporters_money == Decimal("36.36")
    assert m.project("d").reason == "mes_funded"
    assert m.project("a").supporters_money == Decimal("45.45")
    filled = tally.tally(e, "mes-add1-greedy")
    assert filled.total_cost <= e.budget
    with pytest.raises(ValueError):
        tally.tally(e, "borda")


def test_cumulative_and_ordinal_scores():
    projects = (Project("x", Decimal(5)), Project("y", Decimal(5)), Project("z", Decimal(5)))
    cum = Election(Decimal(10), projects, (Ballot(("x", "y"), (7, 3)), Ballot(("y",), (10,)),
                                           Ballot(("z",), (9,))), "cumulative")
    o = tally.tally(cum, "greedy")
    assert [p.score for p in o.projects] == [7, 13, 9]
    assert o.selected == ("y", "z")
    ordinal = Election(Decimal(10), projects, (Ballot(("x", "y", "z")), Ballot(("z", "x", "y"))),
                       "ordinal", max_length=3)
    o = tally.tally(ordinal, "greedy")
    assert [p.score for p in o.projects] == [5, 3, 4]
    assert o.selected == ("x", "z")


# --- pabutools 1.2.3 as an oracle on generated approval elections -----------------------

def _random_election(seed):
    rng = random.Random(seed)
    m = rng.randint(3, 9)
    projects = tuple(Project(str(i + rng.choice([0, 5])) + "p" * (i % 2), Decimal(rng.randint(1, 40) * 5))
                     for i in range(m))
    ids = [p.id for p in projects]
    ballots = []
    for _ in range(rng.randint(3, 25)):
        ballots.append(Ballot(tuple(rng.sample(ids, rng.randint(1, min(4, m))))))
    for pid in ids:  # every project has a supporter (pabutools' greedy funds 0-vote ones)
        ballots.append(Ballot((pid,)))
    total = sum(p.cost for p in projects)
    budget = Decimal(rng.randint(int(total) // 4, int(total) * 3 // 4))
    return Election(budget, projects, tuple(ballots))


def _pabutools(e):
    from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat, Instance
    from pabutools.election import Project as PProject

    pp = {p.id: PProject(p.id, int(p.cost)) for p in e.projects}
    instance = Instance(pp.values(), budget_limit=int(e.budget))
    profile = ApprovalProfile([ApprovalBallot([pp[i] for i in b.projects]) for b in e.ballots])
    return instance, profile, Cost_Sat


@pytest.mark.parametrize("seed", range(40))
def test_agrees_with_pabutools(seed):
    if len({p.id for p in _random_election(seed).projects}) < len(_random_election(seed).projects):
        pytest.skip("duplicate ids generated")
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

    e = _random_election(seed)
    instance, profile, sat = _pabutools(e)
    names = lambda alloc: {p.name for p in alloc}  # noqa: E731
    assert set(tally.tally(e, "greedy", tie_break="id").selected) == names(
        greedy_utilitarian_welfare(instance, profile, sat_class=sat))
    assert set(tally.tally(e, "mes", tie_break="id").selected) == names(
        method_of_equal_shares(instance, profile, sat_class=sat))
    assert set(tally.mes_with_completion(e)) == names(
        method_of_equal_shares(instance, profile, sat_class=sat, voter_budget_increment=1))


# --- the .pb format -------------------------------------------------------------------

def test_pabulib_round_trip_quotes_and_no_bom():
    pb = pabulib.read(DATA / "Netherlands_Assen_2024.pb")
    pb.projects[0]["name"] = 'Plaza; "nueva"'
    text = pabulib.write(pb)
    assert not text.startswith("\ufeff")
    assert '"Plaza; ""nueva"""' in text
    again = pabulib.parse(text)
    assert again.projects == pb.projects and again.meta == pb.meta and again.votes == pb.votes
    assert set(tally.tally(pabulib.to_election(again), "mes-add1").selected) == set(
        pabulib.selected_ids(pb))


@pytest.mark.parametrize("text,code,params", [
    ("PROJECTS\nproject_id;cost\n1;10\n", "missing_budget", {}),
    ("hola\n", "no_section", {"line": 1}),
    ("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;diez\nVOTES\nvoter_id;vote\n", "not_a_number",
     {"section": "PROJECTS", "row": 1, "column": "cost", "text": "diez"}),
    ("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\nv;1,2\n", "unknown_project",
     {"row": 1, "project": "2"}),
])
def test_pabulib_errors_name_the_problem(text, code, params):
    """The pure reader raises a code and its parameters; str() stays a readable summary."""
    with pytest.raises(pabulib.PabulibError) as raised:
        pabulib.to_election(pabulib.parse(text))
    assert raised.value.code == code and raised.value.params == params
    assert str(raised.value).startswith(code)
