"""Locust users for ``make load``: voters, survey respondents, complainants and readers,
all at once, against a portal served by gunicorn.

Every outcome the portal confirms (a ballot receipt, a survey form key that reached the
thanks page, a report code) is written to a JSON-lines log, one file per process, so the
harness can compare what clients were told with what the database holds. A request that
fails halfway through a flow is logged as ``uncertain``: it may or may not have been
stored, but never twice.

Environment (set by ``bench/load/harness.py``): LOAD_STATE, the JSON file with the
process, survey, categories and the synthetic census; LOAD_LOG_DIR; LOAD_HOSTS, the
servers (comma-separated base URLs) when there are several: every request then goes to
one of them at random, so one person's steps land on different servers (their session
is a signed cookie every server reads).
"""
import json
import os
import random
import re
import secrets
import threading

from locust import HttpUser, between, task
from locust.clients import HttpSession

from htmlforms import Forms, fill  # beside this file (Locust puts its folder on the path)

STATE = json.loads(open(os.environ["LOAD_STATE"], encoding="utf-8").read())
SLUG = STATE["slug"]
HOSTS = [h for h in os.environ.get("LOAD_HOSTS", "").split(",") if h]
if len(HOSTS) > 1:
    _request = HttpSession.request

    def _any_server(self, method, url, *args, **kwargs):
        self.base_url = random.choice(HOSTS)  # relative URLs (and the portal's redirects) go there
        return _request(self, method, url, *args, **kwargs)

    HttpSession.request = _any_server

_voters = iter(STATE["voters"])
_voters_lock = threading.Lock()
_log = open(os.path.join(os.environ["LOAD_LOG_DIR"], f"client-{os.getpid()}.jsonl"), "a",
            encoding="utf-8", buffering=1)
RECEIPT = re.compile(r"<strong>([A-Z0-9-]{17})</strong>")
TRACK = re.compile(r"/r/([A-Z0-9]+)$")


def record(kind: str, **data) -> None:
    _log.write(json.dumps({"kind": kind, **data}) + "\n")


def next_voter():
    with _voters_lock:
        return next(_voters, None)


class Voter(HttpUser):
    """A verified resident casts a ballot; some try a second one (refused), some change theirs."""
    weight = 4
    wait_time = between(0.2, 1.0)

    @task
    def vote(self):
        voter = next_voter()
        if voter is None:
            return self.read_results()
        document, birth = voter
        self.client.cookies.clear()
        base = f"/m/{SLUG}/presupuesto/{STATE['process_id']}"
        page = self.client.get(base + "/verificar", name="ballot: verify form")
        form = Forms(page.text).post_form()
        if form is None:
            return
        data = {**form["fields"], "document": document, "birth_date": birth}
        with self.client.post(base + "/verificar", data=data, allow_redirects=False, name="ballot: verify",
                              catch_response=True) as r:
            if r.status_code != 302 or not r.headers.get("Location", "").endswith("/votar"):
                return r.failure(f"verification refused ({r.status_code})")
        picks = random.sample(STATE["refs"], random.randint(1, STATE["max_choices"]))
        receipt = self.cast(base, picks, document, name="ballot")
        if receipt is None:
            return
        record("ballot", voter=document, receipt=receipt, picks=sorted(picks))
        if random.random() < 0.15:  # a second ballot without the receipt is refused
            page = self.client.get(base + "/votar", name="ballot: form")
            form = Forms(page.text).post_form()
            with self.client.post(base + "/votar", data={**form["fields"], "picks": picks[:1]},
                                  name="ballot: second (refused)", catch_response=True) as r:
                if "Ya votó" in r.text:
                    r.success()
                    record("ballot_refused", voter=document)
                else:
                    r.failure("a second ballot was not refused")
        elif random.random() < 0.1:  # the voter changes the ballot with the receipt
            new = random.sample(STATE["refs"], 1)
            if self.cast(base, new, document, name="ballot: change", receipt=receipt):
                record("ballot_change", voter=document, receipt=receipt, picks=sorted(new))

    def cast(self, base, picks, document, name, receipt=None):
        page = self.client.get(base + "/votar", name=f"{name}: form")
        form = Forms(page.text).post_form()
        if form is None:
            return None
        data = {**form["fields"], "picks": picks}
        if receipt:
            data["receipt"] = receipt
        with self.client.post(base + "/votar", data=data, allow_redirects=False, name=f"{name}: choose",
                              catch_response=True) as r:
            if r.status_code == 200 and "más que el presupuesto" in r.text:
                r.success()  # the rulebook refuses a ballot over the budget: nothing may be stored
                record("ballot_over_budget", voter=document, change=bool(receipt))
                return None
            if r.status_code != 302:
                said = re.findall(r'class="(?:error|flash[^"]*|field-error)"[^>]*>([^<]{1,120})', r.text)
                return r.failure(f"ballot not accepted for review ({r.status_code}) {said[:2]}")
        page = self.client.get(base + "/votar/revisar", name=f"{name}: review")
        form = Forms(page.text).post_form()
        if form is None:
            return None
        with self.client.post(base + "/votar/revisar", data=form["fields"], allow_redirects=False,
                              name=f"{name}: confirm", catch_response=True) as r:
            if r.status_code != 302 or not r.headers.get("Location", "").endswith("/comprobante"):
                record("uncertain", what="ballot", voter=document)
                return r.failure(f"ballot not confirmed ({r.status_code})")
        page = self.client.get(base + "/comprobante", name=f"{name}: receipt")
        found = RECEIPT.search(page.text)
        if not found:
            record("uncertain", what="ballot", voter=document)
            return None
        return found.group(1)

    def read_results(self):
        self.client.get(f"/m/{SLUG}/presupuesto/{STATE['process_id']}", name="read: budgeting process")


class Respondent(HttpUser):
    """A resident answers the open survey page by page; sometimes the last page is sent twice."""
    weight = 3
    wait_time = between(0.2, 1.0)

    @task
    def answer(self):
        self.client.cookies.clear()  # a new device each time: one response per device
        url = f"/m/{SLUG}/encuestas/{STATE['survey_id']}/responder"
        page = self.client.get(url, name="survey: first page")
        key = None
        for _ in range(12):
            form = Forms(page.text).post_form("/responder")
            if form is None:
                return
            key = form["fields"].get("k", key)
            data = {**fill(form, "Opinión de prueba de carga"), "action": "next"}
            with self.client.post(form["action"], data=data, allow_redirects=False, name="survey: page",
                                  catch_response=True) as r:
                if r.status_code != 302:
                    record("uncertain", what="survey", key=key)
                    return r.failure(f"survey page not accepted ({r.status_code})")
                target = r.headers["Location"]
            if "/gracias" in target:
                record("survey", key=key)
                if random.random() < 0.1:  # the same last page again: counted once
                    with self.client.post(form["action"], data=data, allow_redirects=False,
                                          name="survey: resent", catch_response=True) as r:
                        if r.status_code == 302 and "/gracias" in r.headers.get("Location", ""):
                            r.success()
                        else:
                            r.failure(f"resent survey answered {r.status_code}")
                return
            page = self.client.get(target, name="survey: next page")
        record("uncertain", what="survey", key=key)


class Complainant(HttpUser):
    """A resident files a report; sometimes the same form is sent again (same key)."""
    weight = 2
    wait_time = between(0.2, 1.0)

    @task
    def report(self):
        code = random.choice(STATE["categories"])
        url = f"/m/{SLUG}/reclamos/nuevo?servicio={code}"
        page = self.client.get(url, name="report: form")
        form = Forms(page.text).post_form("/nuevo")
        if form is None:
            return
        data = fill(form, f"Prueba de carga {secrets.token_hex(4)}")
        data.update({name: "3" for name in STATE["number_fields"] if name in data})
        data.update({"confirm_new": "1", "district": "", "neighbourhood": "", "lat": "", "long": ""})
        key = data.get("idempotency_key")
        for attempt in range(2 if random.random() < 0.15 else 1):
            with self.client.post(form["action"], data=data, allow_redirects=False,
                                  name="report: send" if not attempt else "report: resent",
                                  catch_response=True) as r:
                found = TRACK.search(r.headers.get("Location", ""))
                if r.status_code != 302 or not found:
                    record("uncertain", what="report", key=key)
                    return r.failure(f"report not accepted ({r.status_code})")
                record("report" if not attempt else "report_resent", key=key, code=found.group(1))


class Reader(HttpUser):
    """A visitor reading public pages and the read API."""
    weight = 3
    wait_time = between(0.1, 0.6)

    @task(3)
    def municipality_home(self):
        self.client.get(f"/m/{SLUG}/", name="read: municipality home")

    @task(2)
    def results(self):
        self.client.get(f"/m/{SLUG}/presupuesto/{STATE['past_process_id']}/resultados", name="read: budget results")

    @task(2)
    def pages(self):
        self.client.get(random.choice([f"/m/{SLUG}/finanzas/", f"/m/{SLUG}/diagnostico/",
                                       f"/m/{SLUG}/encuestas/", f"/m/{SLUG}/reclamos/", "/"]),
                        name="read: section page")

    @task(1)
    def api(self):
        self.client.get(f"/api/v1/municipalities/{SLUG}/budgeting/processes", name="read: API")
