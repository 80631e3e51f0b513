"""Participatory budgeting: pages, voting, one ballot per person, staff access, CLI, API."""
import re
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from portal.extensions import db as _db
from portal.participation.budgeting import pabulib, services
from portal.participation.budgeting.demo import DEMO_BIRTH, DEMO_DUI, OPEN, PAST
from portal.participation.budgeting.models import (Ballot, BudgetProcess, CensusEntry, Participation)

DATA = Path("/work/shared/data/pabulib")


def _proc(muni, title):
    return _db.session.execute(select(BudgetProcess).where(
        BudgetProcess.municipality_id == muni.id, BudgetProcess.title == title)).scalar_one()


def test_public_pages_and_demo_results(client, muni):
    past = _proc(muni, PAST)
    assert client.get("/m/intipuca/presupuesto/").status_code == 200
    page = client.get(f"/m/intipuca/presupuesto/{past.id}/resultados").get_data().decode("utf-8-sig")
    assert "datos de ejemplo" in page
    assert "Por qué" in page and ("no cupo" in page or "les quedaban" in page)
    assert "Presupuesto participativo" in page
    pb = client.get(f"/m/intipuca/presupuesto/{past.id}/resultado.pb")
    assert pb.status_code == 200 and not pb.data.startswith(b"\xef\xbb\xbf")
    parsed = pabulib.parse(pb.get_data().decode("utf-8-sig"))
    from portal.participation.budgeting import tally
    again = tally.tally(pabulib.to_election(parsed), "mes-add1")
    assert set(again.selected) == set(pabulib.selected_ids(parsed))  # anyone can recompute
    csv = client.get(f"/m/intipuca/presupuesto/{past.id}/papeletas.csv").get_data().decode("utf-8-sig")
    assert csv.splitlines()[0] == "papeleta,elecciones,canal,distrito" and ",ejemplo," in csv  # a Spanish page's file


@pytest.mark.parametrize("language, header, channel", [
    ("es", "papeleta,elecciones,canal,distrito", "ejemplo"), ("en", "ballot,choices,channel,district", "example"),
    ("pt", "cédula,escolhas,canal,distrito", "exemplo")])
def test_the_ballots_file_speaks_the_pages_language(client, muni, language, header, channel):
    past = _proc(muni, PAST)
    client.set_cookie("lang", language)
    import csv
    import io

    text = client.get(f"/m/intipuca/presupuesto/{past.id}/papeletas.csv").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ",".join(rows[0]) == header and len(rows) > 1 and all(row[2] == channel for row in rows[1:])


def test_api_lists_processes_and_results(client, muni):
    past = _proc(muni, PAST)
    data = client.get("/api/v1/municipalities/intipuca/budgeting/processes").get_json()
    assert PAST in {p["title"] for p in data["items"]}
    res = client.get(f"/api/v1/municipalities/intipuca/budgeting/processes/{past.id}/results?rule=greedy").get_json()
    assert res["rule"] == "greedy"
    first = res["projects"][0]
    assert set(first) >= {"id", "name", "cost", "votes", "score", "selected", "reason"}
    assert Decimal(res["totals"]["selected_cost"]) <= Decimal(res["totals"]["budget"])
    assert client.get(f"/api/v1/municipalities/intipuca/budgeting/processes/{past.id}/results?rule=mes").status_code == 404


def test_project_page_shows_execution_progress(client, muni):
    past = _proc(muni, PAST)
    funded = [p for p in past.projects if p.work_ref]
    assert funded
    page = client.get(f"/m/intipuca/presupuesto/{past.id}/proyectos/{funded[0].id}").get_data().decode("utf-8-sig")
    assert "Ejecución de la obra" in page and "hoja de ruta" in page


def _vote_flow(client, process, document=DEMO_DUI, birth=DEMO_BIRTH, picks=("1", "2")):
    base = f"/m/intipuca/presupuesto/{process.id}"
    r = client.post(base + "/verificar", data={"document": document, "birth_date": birth.isoformat()})
    assert r.status_code == 302 and r.location.endswith("/votar"), r.get_data().decode("utf-8-sig")[:3000]
    r = client.post(base + "/votar", data={"picks": list(picks)})
    assert r.status_code == 302 and r.location.endswith("/votar/revisar")
    r = client.post(base + "/votar/revisar")
    assert r.status_code == 302
    page = client.get(base + "/comprobante").get_data().decode("utf-8-sig")
    return re.search(r"<strong>([A-Z0-9-]{17})</strong>", page).group(1)


def test_resident_verifies_votes_and_checks_receipt(client, muni):
    process = _proc(muni, OPEN)
    receipt = _vote_flow(client, process)
    page = client.post(f"/m/intipuca/presupuesto/{process.id}/verificar-comprobante",
                       data={"receipt": receipt}).get_data().decode("utf-8-sig")
    assert "se cuenta tal como se emitió" in page and "Biblioteca comunitaria" in page
    # stored apart: the ballot has no voter, the participation no choices
    assert not hasattr(Ballot, "voter_key") and not hasattr(Participation, "choices")
    # no document number or birth date in clear in the census
    hashes = _db.session.execute(select(CensusEntry.entry_hash, CensusEntry.person_hash)).all()
    assert all("01234567" not in h1 + h2 for h1, h2 in hashes)
    # a second ballot is refused; with the receipt the voter may change it
    base = f"/m/intipuca/presupuesto/{process.id}"
    r = client.post(base + "/votar", data={"picks": ["3"]}, follow_redirects=True)
    assert "Ya votó" in r.get_data().decode("utf-8-sig")
    client.post(base + "/votar", data={"picks": ["3"], "receipt": receipt})
    client.post(base + "/votar/revisar")
    ballot = services.find_receipt(muni, process, receipt)
    assert ballot.choices == "3" and ballot.version == 2


def test_verification_refuses_unknown_and_too_young(client, muni):
    process = _proc(muni, OPEN)
    r = client.post(f"/m/intipuca/presupuesto/{process.id}/verificar",
                    data={"document": DEMO_DUI, "birth_date": "1991-01-01"})
    assert r.status_code == 200 and "No encontramos" in r.get_data().decode("utf-8-sig")
    services.import_census(muni, b"documento,fecha_nacimiento\n99999999-9,2020-05-05\n", "p.csv")
    with pytest.raises(services.BudgetingError, match="edad"):
        services.verify_census(muni, process, "99999999-9", date(2020, 5, 5), date.today())


def test_ballot_rules_are_enforced(muni):
    process = _proc(muni, OPEN)
    C = services.Choice
    with pytest.raises(services.BudgetingError, match="máximo"):
        services.check_choices(process, [C("1"), C("2"), C("3"), C("4")])
    with pytest.raises(services.BudgetingError):
        services.check_choices(process, [C("1"), C("1")])
    with pytest.raises(services.BudgetingError):
        services.check_choices(process, [C("99")])


def test_census_upload_reports_every_bad_row(muni):
    from portal.core.tabular import TableError

    with pytest.raises(TableError) as error:
        services.import_census(muni, b"documento,fecha_nacimiento\n,1990-01-01\n12345678-9,ayer\n", "p.csv")
    assert [p.row for p in error.value.problems] == [2, 3]


def test_residents_cannot_open_staff_pages(client, login, muni):
    process = _proc(muni, OPEN)
    login(role="resident")
    assert client.get("/m/intipuca/presupuesto/admin").status_code == 403
    assert client.get(f"/m/intipuca/presupuesto/admin/{process.id}/codigos").status_code == 403


def test_staff_pages_need_roles(client, login, muni, make):
    process = _proc(muni, OPEN)
    login(role="editor", municipality=muni)
    assert client.get("/m/intipuca/presupuesto/admin").status_code == 200
    assert client.get(f"/m/intipuca/presupuesto/admin/{process.id}").status_code == 200
    assert client.get("/m/intipuca/presupuesto/admin/padron").status_code == 200
    other = make.municipality()
    assert client.get(f"/m/{other.slug}/presupuesto/{process.id}").status_code == 404


def test_staff_counts_codes_and_paper_ballots(client, login, muni):
    process = _proc(muni, OPEN)
    login(role="admin", municipality=muni)
    base = f"/m/intipuca/presupuesto/admin/{process.id}"
    page = client.post(base + "/codigos", data={"count": 3, "batch": "Mesa 1"}).get_data().decode("utf-8-sig")
    codes = re.findall(r"<code>([A-Z0-9-]{11})</code>", page)
    assert len(codes) == 3
    found = services.redeem_code(muni, process, codes[0])
    assert found.method == "code"
    voter = {"document": "00000005-5", "birth_date": "1965-06-15"}  # in the demo census
    r = client.post(base + "/papeleta", data={**voter, "picks": ["1"]})
    assert r.status_code == 302
    r = client.post(base + "/papeleta", data={**voter, "picks": ["2"]})
    assert "Ya hay un voto" in r.get_data(as_text=True)
    r = client.post(base + "/accion/contar", data={"rule": "greedy"})
    assert r.status_code == 302
    # the request only queued the count
    assert services.result_for(muni, process, "greedy", published_only=False) is None
    page = client.get(base).get_data().decode("utf-8-sig")
    assert "Calculando resultados…" in page and "en espera" in page and "<meta http-equiv" not in page
    from portal.participation.budgeting import worker
    assert worker.run_pending()  # what the background worker and `count-pending` run
    result = services.result_for(muni, process, "greedy", published_only=False)
    assert result.voters >= 1 and result.lines[0].selected
    page = client.get(base).get_data().decode("utf-8-sig")
    assert "Calculando resultados…" not in page and "listo" in page


def test_rulebook_freezes_when_voting_opens(muni):
    process = _proc(muni, OPEN)
    with pytest.raises(services.BudgetingError, match="fijadas"):
        services.save_process(muni, process, rule="greedy")
    services.save_process(muni, process, purpose="Otro texto")


def test_results_page_query_count_is_constant(client, muni, queries):
    past = _proc(muni, PAST)
    url = f"/m/intipuca/presupuesto/{past.id}/resultados"
    client.get(url)
    with queries() as small:
        client.get(url)
    more = services.import_pabulib(muni, (DATA / "Netherlands_Assen_2024.pb").read_text(), publish=True)
    services.run_tally(muni, more).publish()
    _db.session.flush()
    with queries() as large:
        client.get(f"/m/intipuca/presupuesto/{more.id}/resultados")
    assert large() <= small() + 1


def test_cli_import_and_tally(runner, muni):
    result = runner.invoke(args=["budgeting", "import-pabulib", "intipuca",
                                 str(DATA / "Netherlands_Assen_2024.pb"), "--publish"])
    assert result.exit_code == 0, result.output
    pid = int(re.search(r"process (\d+)", result.output).group(1))
    result = runner.invoke(args=["budgeting", "tally", "intipuca", str(pid)])
    assert result.exit_code == 0, result.output
    process = services.get_process(muni, pid)
    wanted = set(pabulib.selected_ids(pabulib.read(DATA / "Netherlands_Assen_2024.pb")))
    got = services.result_for(muni, process, "mes-add1", published_only=False)
    assert {line.project.ref for line in got.lines if line.selected} == wanted
    bad = runner.invoke(args=["budgeting", "tally", "intipuca", "999999"])
    assert bad.exit_code != 0


def test_two_ballots_for_one_person_at_once(app, tmp_path):
    """Two connections insert a participation for the same person concurrently: the
    UNIQUE constraint lets exactly one through."""
    from portal.participation.budgeting.models import Participation as P

    url = f"sqlite:///{tmp_path / 'race.db'}"
    engine = create_engine(url, connect_args={"timeout": 10})
    _db.metadata.create_all(engine)  # the models' own tables and UNIQUE constraint
    from portal.municipalities.models import Municipality
    with engine.begin() as conn:
        conn.execute(Municipality.__table__.insert().values(id=1, slug="race", name="Race", country="SV"))
        conn.execute(BudgetProcess.__table__.insert().values(id=1, municipality_id=1, title="P", budget=100))
    barrier = threading.Barrier(2)
    outcomes = []

    def cast():
        with Session(engine) as session:
            barrier.wait()
            try:
                session.execute(P.__table__.insert().values(municipality_id=1, process_id=1,
                                                             voter_key="same", channel="online", district=""))
                session.commit()
                outcomes.append("ok")
            except Exception as error:  # IntegrityError on the loser
                outcomes.append(type(error).__name__)

    threads = [threading.Thread(target=cast) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["IntegrityError", "ok"]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM budget_participations")).scalar() == 1
    engine.dispose()
