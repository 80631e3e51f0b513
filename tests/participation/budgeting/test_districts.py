"""Per-district budgets: each district's projects are counted with its budget and its
voters' ballots, the city-wide pot with every ballot; results, ballots, the process
form and pabulib files per district."""
import re
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.core.clock import utcnow
from portal.extensions import db as _db
from portal.participation.budgeting import counting, pabulib, services, tally
from portal.participation.budgeting.models import Ballot, BudgetProcess, BudgetProject, DistrictBudget

DATA = Path("/work/shared/data/pabulib")
SIX = ["Netherlands_Assen_2024.pb", "Poland_Swiecie_2023.pb", "Poland_Wieliczka_2023_Green_Budget.pb",
       "Poland_Warszawa_2023_Mokotow.pb", "Poland_Czestochowa_2024_Polnoc.pb",
       "Poland_Krakow_2025_Podgorze.pb"]


def _district_process(muni, *, knapsack=False, publish=True):
    """Total 100: Norte 30, Sur 30, the city-wide pot 40."""
    process = BudgetProcess(municipality_id=muni.id, title="PP por distritos", budget=Decimal(100),
                            ballot_type="approval", min_choices=1, max_choices=4, knapsack=knapsack,
                            rule="greedy", rulebook_frozen_at=utcnow())
    _db.session.add(process)
    _db.session.flush()
    for name, amount in (("Norte", 30), ("Sur", 30)):
        process.district_budgets.append(DistrictBudget(municipality_id=muni.id, district=name,
                                                       amount=Decimal(amount)))
    for ref, cost, district in (("N1", 20, "Norte"), ("N2", 15, "Norte"), ("S1", 25, "Sur"),
                                ("S2", 10, "Sur"), ("C1", 30, ""), ("C2", 25, "")):
        process.projects.append(BudgetProject(municipality_id=muni.id, ref=ref, title=f"Proyecto {ref}",
                                              cost=Decimal(cost), district=district,
                                              review_status="accepted", status="published"))
    if publish:
        process.publish()
    _db.session.flush()
    return process


def _ballots(muni, process, rows):
    _db.session.execute(Ballot.__table__.insert(), [
        {"municipality_id": muni.id, "process_id": process.id, "choices": choices, "channel": "online",
         "district": district, "version": 1} for choices, district, times in rows for _ in range(times)])
    _db.session.flush()


def _counted(muni):
    process = _district_process(muni)
    # four Norte voters also marked a Sur project (an old paper form): it must not count in Sur
    _ballots(muni, process, [("N2,C2", "Norte", 3), ("S2,C1", "Norte", 4),
                             ("S1,C1", "Sur", 2), ("S2", "Sur", 1)])
    return process, counting.run_tally(muni, process)


def test_each_district_is_counted_with_its_budget_and_its_voters(muni):
    process, result = _counted(muni)
    pots = {p.district: p for p in result.pots}
    assert [p.district for p in result.pots] == ["", "Norte", "Sur"]
    assert [pots[d].budget for d in ("", "Norte", "Sur")] == [Decimal(40), Decimal(30), Decimal(30)]
    picked = {line.project.ref for line in result.lines if line.selected}
    # Sur: S1 (2 votes) first; S2 has 1 vote from Sur (the 4 from Norte voters do not count)
    # and no longer fits: 5 left. With Norte's votes S2 would have won first.
    assert picked == {"N2", "S1", "C1"}
    s2 = next(line for line in result.lines if line.project.ref == "S2")
    assert (s2.votes, s2.reason, s2.remaining, s2.district) == (1, "did_not_fit", Decimal(5), "Sur")
    # the city-wide pot counts every ballot: C1 has 2 (Sur) + 4 (Norte) votes
    c1 = next(line for line in result.lines if line.project.ref == "C1")
    assert c1.votes == 6 and c1.district == ""
    assert (pots["Norte"].spent, pots["Sur"].spent, pots[""].spent) == (Decimal(15), Decimal(25), Decimal(30))
    assert (pots["Norte"].turnout, pots["Sur"].turnout, pots[""].turnout) == (7, 3, 10)
    assert (pots["Norte"].ballots, pots["Norte"].selected, pots["Norte"].projects) == (3, 1, 2)
    assert result.total_cost == Decimal(70) and result.voters == 10


def test_without_district_budgets_one_pot_as_before(muni):
    process, _ = _counted(muni)
    process.district_budgets.clear()
    _db.session.flush()
    result = counting.run_tally(muni, process)
    assert [(p.district, p.budget) for p in result.pots] == [("", Decimal(100))]
    # now every ballot counts for every project: S2 (5 votes) first
    assert next(line for line in result.lines if line.project.ref == "S2").selected


def test_results_page_shows_every_district(client, muni):
    process, result = _counted(muni)
    result.publish()
    services.import_census(muni, b"documento,fecha_nacimiento,distrito\n" + b"".join(
        f"1000{n:04d},1980-01-01,{'Norte' if n < 14 else 'Sur'}\n".encode() for n in range(20)), "p.csv")
    page = client.get(f"/m/intipuca/presupuesto/{process.id}/resultados").get_data(as_text=True)
    table = page[page.index('id="districts"'):]
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", table, re.S)
    text = {name: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cells)) for name, cells in rows}
    assert set(text) == {"Todo el municipio", "Norte", "Sur"}
    assert "1 de 2" in text["Norte"] and "7 papeletas" in text["Norte"] and "50" in text["Norte"]  # 7 of 14
    assert "30.00" in text["Sur"] and "25.00" in text["Sur"] and "3 papeletas" in text["Sur"]
    assert "10 papeletas" in text["Todo el municipio"] and "40.00" in text["Todo el municipio"]
    assert "Norte: $30.00 de presupuesto" in page  # one table of projects per pot
    # one pabulib file per district, recomputable by anyone
    link = f"/m/intipuca/presupuesto/{process.id}/resultado.pb?rule=greedy&district=Sur"
    assert link.replace("&", "&amp;") in page
    pb = pabulib.parse(client.get(link).get_data(as_text=True))
    assert (pb.meta["district"], Decimal(pb.meta["budget"]), pb.meta["num_votes"]) == ("Sur", 30, "3")
    assert {r["project_id"] for r in pb.projects} == {"S1", "S2"}
    assert pabulib.selected_ids(pb) == ["S1"]
    assert set(tally.tally(pabulib.to_election(pb), "greedy").selected) == {"S1"}
    city = pabulib.parse(client.get(link.replace("&district=Sur", "")).get_data(as_text=True))
    assert "district" not in city.meta and city.meta["num_votes"] == "9"  # every ballot choosing C1 or C2
    assert client.get(link.replace("Sur", "Oeste")).status_code == 404
    api = client.get(f"/api/v1/municipalities/intipuca/budgeting/processes/{process.id}/results").get_json()
    assert [(p["district"], p["budget"], p["spent"], p["turnout"]) for p in api["pots"]] == [
        ("", "40", "30", 10), ("Norte", "30", "15", 7), ("Sur", "30", "25", 3)]
    shown = client.get(f"/m/intipuca/presupuesto/{process.id}").get_data(as_text=True)
    assert "Presupuesto por distrito" in shown
    assert re.search(r"<dt>Todo el municipio</dt><dd>\$40.00</dd>.*<dt>Norte</dt><dd>\$30.00</dd>", shown, re.S)


def test_a_voter_sees_the_city_and_their_district_only(muni):
    process = _district_process(muni, knapsack=True)
    assert {p.ref for p in services.ballot_projects(process, "Norte")} == {"N1", "N2", "C1", "C2"}
    assert {p.ref for p in services.ballot_projects(process, "")} == {"C1", "C2"}
    C = services.Choice
    with pytest.raises(services.BudgetingError):
        services.check_choices(process, [C("S1")], "Norte")
    # the cost limit holds per pot: Norte 20+15 > 30, although 35 < 100 in total
    with pytest.raises(services.BudgetingError, match="presupuesto"):
        services.check_choices(process, [C("N1"), C("N2")], "Norte")
    assert services.check_choices(process, [C("N1"), C("C1")], "Norte")
    limits = services.ballot_limits(process, services.ballot_projects(process, "Norte"))
    assert [(p["key"], p["limit"]) for p in limits["pots"]] == [("", Decimal(40)), ("Norte", Decimal(30))]


def test_the_ballot_page_of_a_district_voter(client, make, muni):
    from datetime import date, timedelta

    process = _district_process(muni, knapsack=True)
    process.voting_open, process.voting_close = date.today(), date.today() + timedelta(days=3)
    services.import_census(muni, b"documento,fecha_nacimiento,distrito\n12345678-9,1980-01-01,Norte\n", "p.csv")
    who = services.verify_in_person(muni, process, "12345678-9", "Norte", make.user(), birth=date(1980, 1, 1))
    with client.session_transaction() as session:
        session[f"pb{process.id}_v"] = who.id
    page = client.get(f"/m/intipuca/presupuesto/{process.id}/votar").get_data(as_text=True)
    assert "Proyecto N1" in page and "Proyecto C2" in page and "Proyecto S1" not in page
    assert re.search(r"Presupuesto disponible: Todo el municipio \$40.00 · Norte \$30.00", page)
    assert 'data-pot="Norte"' in page and 'data-limit="30' in page  # the running total per pot
    r = client.post(f"/m/intipuca/presupuesto/{process.id}/votar", data={"picks": ["N1", "N2"]},
                    follow_redirects=True)
    # says how much to take off: N1 + N2 cost $35.00 against Norte's $30.00
    assert "cuesta $5.00 más que el presupuesto disponible: quite proyectos" in r.get_data(as_text=True)
    assert "Se pasa del presupuesto por <strong data-excess></strong>: quite proyectos" in page


def test_paper_ballot_records_the_district(client, login, muni):
    process = _district_process(muni)
    process.voting_open = process.voting_close = None
    login(role="verifier", municipality=muni)
    url = f"/m/intipuca/presupuesto/admin/{process.id}/papeleta"
    assert 'name="district"' in client.get(url).get_data(as_text=True)
    services.import_census(muni, b"documento,fecha_nacimiento,distrito\n77777777-7,1980-01-01,Sur\n"
                                 b"88888888-8,1980-01-01,Norte\n", "p.csv")
    r = client.post(url, data={"document": "77777777-7", "birth_date": "1980-01-01", "district": "Sur",
                               "picks": ["S1", "C2"]})
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    assert _db.session.scalar(select(Ballot.district).where(Ballot.process_id == process.id)) == "Sur"
    r = client.post(url, data={"document": "88888888-8", "birth_date": "1980-01-01", "district": "Norte",
                               "picks": ["S1"]})
    assert "no están en la lista" in r.get_data(as_text=True)


def test_staff_set_district_budgets_in_the_form(client, login, muni):
    login(role="editor", municipality=muni)
    data = {"title": "PP 2027", "budget": "100000", "ballot_type": "approval", "min_choices": "1",
            "eligibility": "municipality", "rule": "greedy",
            "district_budgets": "Centro; 30000\nEl Icacal 20000\nEl Calvario; mucho"}
    page = client.post("/m/intipuca/presupuesto/admin/nuevo", data=data).get_data(as_text=True)
    assert "Línea 2: escriba «distrito; monto»" in page
    assert "Línea 3: el monto de El Calvario no es válido: escriba un número" in page
    assert "El Icacal 20000" in page and 'value="PP 2027"' in page  # what was typed stays
    data["district_budgets"] = "Centro; 80000\nEl Icacal; 30000"
    page = client.post("/m/intipuca/presupuesto/admin/nuevo", data=data).get_data(as_text=True)
    assert "suman más que el presupuesto total" in page and "El Icacal; 30000" in page
    data["district_budgets"] = "Centro; 30000\nEl Icacal; 20000"
    r = client.post("/m/intipuca/presupuesto/admin/nuevo", data=data)
    assert r.status_code == 302
    process = _db.session.execute(select(BudgetProcess).where(BudgetProcess.title == "PP 2027")).scalar_one()
    assert {d.district: d.amount for d in process.district_budgets} == {
        "Centro": Decimal(30000), "El Icacal": Decimal(20000)}
    edit = f"/m/intipuca/presupuesto/admin/{process.id}/editar"
    assert "Centro; 30000" in client.get(edit).get_data(as_text=True)
    data["district_budgets"] = "Centro; 35000\nCantón El Carao; 10000"  # change, add, drop
    assert client.post(edit, data=data).status_code == 302
    _db.session.expire_all()
    assert {d.district: d.amount for d in process.district_budgets} == {
        "Centro": Decimal(35000), "Cantón El Carao": Decimal(10000)}


def test_district_budgets_freeze_with_the_rulebook(muni):
    process = _district_process(muni)
    with pytest.raises(services.DistrictBudgetError, match="fijados"):
        services.save_district_budgets(muni, process, [("Norte", Decimal(40))])
    services.save_district_budgets(muni, process, [("Norte", Decimal(30)), ("Sur", Decimal(30))])


def _city_file():
    return ("META\nkey;value\ndescription;Ciudad\nunit;Warszawa\ninstance;2023\nbudget;1000\n"
            "vote_type;approval\nrule;greedy\nPROJECTS\nproject_id;cost;name\nX1;600;Plaza\nX2;500;Puente\n"
            "VOTES\nvoter_id;vote\n1;X1\n2;X1,X2\n3;X2\n4;X1\n")


def test_import_one_file_per_district_and_export_each(client, muni):
    mokotow = (DATA / "Poland_Warszawa_2023_Mokotow.pb").read_text(encoding="utf-8")
    process = services.import_pabulib(muni, [_city_file(), mokotow], publish=True)
    assert {d.district: d.amount for d in process.district_budgets} == {"Mokotów": Decimal("8697250")}
    assert process.budget == Decimal("8698250") and process.rule == "greedy"
    result = counting.run_tally(muni, process)
    result.publish()
    wanted = set(pabulib.selected_ids(pabulib.read(DATA / "Poland_Warszawa_2023_Mokotow.pb")))
    assert {line.project.ref for line in result.lines if line.selected and line.district == "Mokotów"} == wanted
    assert {line.project.ref for line in result.lines if line.selected and line.district == ""} == {"X1"}
    pots = {p.district: p for p in result.pots}
    assert (pots["Mokotów"].ballots, pots[""].ballots, pots[""].turnout) == (11067, 4, 11071)
    url = f"/m/intipuca/presupuesto/{process.id}/resultado.pb?district=Mokotów"
    exported = pabulib.parse(client.get(url).get_data(as_text=True))
    assert exported.meta["district"] == "Mokotów" and exported.meta["num_votes"] == "11067"
    assert set(pabulib.selected_ids(exported)) == wanted
    assert set(tally.tally(pabulib.to_election(exported), "greedy").selected) == wanted
    # the exported files import again as the same election
    city = client.get(url.split("?")[0]).get_data(as_text=True)
    again = services.import_pabulib(muni, [city, client.get(url).get_data(as_text=True)])
    assert {d.district for d in again.district_budgets} == {"Mokotów"}
    assert {line.project.ref for line in counting.run_tally(muni, again).lines if line.selected} == wanted | {"X1"}


@pytest.mark.parametrize("texts,message", [
    ([_city_file(), _city_file()], "archivo 2: ya hay un archivo para todo el municipio"),
    ([_city_file(), _city_file().replace("budget;1000", "budget;1000\ndistrict;Sur")], "archivo 2: project_id X1"),
    ([_city_file(), "META\nkey;value\n"], "archivo 2: META: falta «budget»"),
])
def test_import_of_several_files_names_the_file(muni, texts, message):
    from portal.participation.budgeting.messages import describe

    with pytest.raises(pabulib.PabulibError) as raised:
        services.import_pabulib(muni, texts)
    assert raised.value.file == 2
    assert message in describe(raised.value)


@pytest.mark.parametrize("name", SIX)
def test_the_six_elections_through_the_portal(muni, name):
    """Imported and counted in the database with the city's own rule: `selected` again."""
    process = services.import_pabulib(muni, (DATA / name).read_text(encoding="utf-8"))
    result = counting.run_tally(muni, process)
    wanted = set(pabulib.selected_ids(pabulib.read(DATA / name)))
    assert {line.project.ref for line in result.lines if line.selected} == wanted
    district = pabulib.read(DATA / name).meta.get("district", "")
    assert [p.district for p in result.pots] == [district]


def test_cli_imports_the_files_of_one_election(runner, muni, tmp_path):
    city = tmp_path / "ciudad.pb"
    city.write_text(_city_file(), encoding="utf-8")
    district = tmp_path / "sur.pb"
    district.write_text(_city_file().replace("budget;1000", "budget;700\ndistrict;Sur").replace("X1", "S1")
                        .replace("X2", "S2"), encoding="utf-8")
    result = runner.invoke(args=["budgeting", "import-pabulib", "intipuca", str(city), str(district)])
    assert result.exit_code == 0, result.output
    assert "districts Sur" in result.output
    pid = int(re.search(r"process (\d+)", result.output).group(1))
    result = runner.invoke(args=["budgeting", "tally", "intipuca", str(pid)])
    assert result.exit_code == 0, result.output
    process = services.get_process(muni, pid, published_only=False)
    got = services.result_for(muni, process, "greedy", published_only=False)
    assert [(p.district, p.budget, p.spent) for p in got.pots] == [
        ("", Decimal(1000), Decimal(600)), ("Sur", Decimal(700), Decimal(600))]
    bad = runner.invoke(args=["budgeting", "import-pabulib", "intipuca", str(city), str(city)])
    assert bad.exit_code != 0 and "archivo 2" in bad.output


@pytest.mark.parametrize("environment, expected", [
    ({"LC_ALL": "en_US.UTF-8"}, "file 2: there is already a file for the whole municipality"),
    ({"LC_ALL": "", "LC_MESSAGES": "", "LANG": "pt_BR.UTF-8"}, "arquivo 2: já existe um arquivo para todo o município"),
    ({"LC_ALL": "C.UTF-8", "LC_MESSAGES": "", "LANG": "C.UTF-8"}, "archivo 2: ya hay un archivo para todo el municipio"),
])
def test_cli_import_errors_speak_the_operators_language(runner, muni, tmp_path, monkeypatch, environment, expected):
    """The pure reader's code is put into words by the catalogs, in the operator's language."""
    city = tmp_path / "ciudad.pb"
    city.write_text(_city_file(), encoding="utf-8")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    bad = runner.invoke(args=["budgeting", "import-pabulib", "intipuca", str(city), str(city)])
    assert bad.exit_code != 0 and expected in bad.output
    assert "duplicate_district" not in bad.output
