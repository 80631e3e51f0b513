"""Survey results, downloads and the diagnostic sources fed by them.

Results come from three grouped queries whatever the number of responses (counts per
question, item, value and district; respondents per question; approved texts) and
are computed by the pure :mod:`.stats`.
"""
from dataclasses import dataclass, field
from datetime import date

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.core import bounds
from portal.core.registry import SourceValue
from portal.extensions import db
from portal.participation.surveys import stats
from portal.participation.surveys.models import (
    NUMERIC_KINDS, Answer, Question, Survey, SurveyResponse)
from portal.participation.surveys.services import ordered_questions

# the download's channel column, in the language the file is asked in
CHANNEL_WORDS = {"online": _l("en línea"), "paper": _l("papel"), "kiosk": _l("quiosco")}


@dataclass
class QuestionResult:
    question: Question
    n: int = 0
    shares: list = field(default_factory=list)  # stats.Share, in the question's order
    summary: stats.NumericSummary | None = None
    matrix: stats.MatrixSummary | None = None
    districts: list = field(default_factory=list)  # (district name, NumericSummary | shares)
    hidden_districts: int = 0  # districts left out: fewer responses than the minimum
    texts: list = field(default_factory=list)  # approved, redacted


@dataclass
class SurveyResults:
    survey: Survey
    responses: int
    paper: int
    example: int
    questions: list  # empty while the survey has fewer responses than ``min_count``
    min_count: int = 1

    @property
    def withheld(self) -> bool:
        """Too few responses to publish anything but their number."""
        return not stats.publishable(self.responses, self.min_count)


def min_count() -> int:
    """The fewest responses a survey, or one of its districts, needs before its results
    are shown on pages, in the API and in downloads (setting ``SURVEY_MIN_COUNT``, 5)."""
    return int(current_app.config.get("SURVEY_MIN_COUNT", 5))


def district_responses(municipality, survey) -> dict:
    """``{district id or None: number of responses}`` of a survey."""
    return dict(db.session.execute(
        select(SurveyResponse.district_id, func.count())
        .where(SurveyResponse.municipality_id == municipality.id, SurveyResponse.survey_id == survey.id)
        .group_by(SurveyResponse.district_id)).all())


def publishable_districts(municipality, survey, minimum: int) -> tuple[int, set]:
    """The number of responses and the districts (ids, None for "no district") that have
    at least ``minimum`` of them."""
    counts = district_responses(municipality, survey)
    return sum(counts.values()), {d for d, n in counts.items() if stats.publishable(n, minimum)}


def _value_order(question) -> list:
    if question.kind == "scale":
        return [str(v) for v in range(1, 6)]
    if question.kind == "rating":
        return [str(v) for v in range(0, 11)]
    return list(question.options or [])


def survey_results(municipality, survey, minimum: int | None = None) -> SurveyResults:
    """Results per question; nothing but the counts below ``minimum`` responses (default
    :func:`min_count`), and only the districts with at least that many responses."""
    minimum = min_count() if minimum is None else minimum
    questions = ordered_questions(survey)
    districts = {d.id: d.name for d in municipality.districts}
    _, shown = publishable_districts(municipality, survey, minimum)
    rows = db.session.execute(
        select(Answer.question_id, Answer.item, Answer.number, SurveyResponse.district_id, func.count())
        .join(SurveyResponse, SurveyResponse.id == Answer.response_id)
        .where(Answer.municipality_id == municipality.id, SurveyResponse.survey_id == survey.id)
        .group_by(Answer.question_id, Answer.item, Answer.number, SurveyResponse.district_id)).all()
    respondents = dict(db.session.execute(
        select(Answer.question_id, func.count(func.distinct(Answer.response_id)))
        .join(SurveyResponse, SurveyResponse.id == Answer.response_id)
        .where(Answer.municipality_id == municipality.id, SurveyResponse.survey_id == survey.id)
        .group_by(Answer.question_id)).all())
    totals = db.session.execute(
        select(func.count(SurveyResponse.id),
               func.count(SurveyResponse.id).filter(SurveyResponse.channel == "paper"),
               func.count(SurveyResponse.id).filter(SurveyResponse.is_example.is_(True)))
        .where(SurveyResponse.municipality_id == municipality.id, SurveyResponse.survey_id == survey.id)).one()
    texts: dict = {}
    for question_id, text in db.session.execute(
            select(Answer.question_id, Answer.redacted).join(SurveyResponse, SurveyResponse.id == Answer.response_id)
            .where(Answer.municipality_id == municipality.id, SurveyResponse.survey_id == survey.id,
                   Answer.moderation == "approved").order_by(Answer.id).limit(1000)):
        texts.setdefault(question_id, []).append(text)

    if not stats.publishable(totals[0], minimum):
        return SurveyResults(survey, totals[0], totals[1], totals[2], [], minimum)
    grouped: dict = {}
    for question_id, item, number, district_id, count in rows:
        grouped.setdefault(question_id, []).append((item, number, district_id, count))

    results = []
    for question in questions:
        result = QuestionResult(question, n=respondents.get(question.id, 0), texts=texts.get(question.id, []))
        data = grouped.get(question.id, [])
        by_district: dict = {}
        if question.kind == "matrix":
            freq, not_used = {}, {}
            for item, number, district_id, count in data:
                if number is None:
                    not_used[item] = not_used.get(item, 0) + count
                    continue
                row = freq.setdefault(item, {})
                row[number] = row.get(number, 0) + count
                per = by_district.setdefault(district_id, {})
                per[number] = per.get(number, 0) + count
            result.matrix = stats.summarize_matrix(list(question.rows or []), freq, not_used)
            result.summary = result.matrix.overall
        elif question.kind in ("scale", "rating"):
            freq = {}
            for _, number, district_id, count in data:
                freq[number] = freq.get(number, 0) + count
                per = by_district.setdefault(district_id, {})
                per[number] = per.get(number, 0) + count
            result.summary = stats.summarize(freq)
            result.shares = stats.distribution({str(k): v for k, v in freq.items()}, _value_order(question))
        elif question.kind in ("single", "multiple"):
            freq = {}
            for item, _, district_id, count in data:
                freq[item] = freq.get(item, 0) + count
                per = by_district.setdefault(district_id, {})
                per[item] = per.get(item, 0) + count
            result.shares = stats.distribution(freq, _value_order(question), base=result.n)
        result.hidden_districts = len([d for d in by_district if d not in shown])
        by_district = {d: freq for d, freq in by_district.items() if d in shown}
        if question.kind in NUMERIC_KINDS:
            result.districts = [(districts.get(d, None), summary)
                                for d, summary in sorted(stats.by_group(by_district).items(),
                                                         key=lambda item: districts.get(item[0], "~"))]
        elif question.kind in ("single", "multiple"):
            result.districts = [(districts.get(d, None), stats.distribution(freq, _value_order(question)))
                                for d, freq in sorted(by_district.items(), key=lambda i: districts.get(i[0], "~"))]
        results.append(result)
    return SurveyResults(survey, totals[0], totals[1], totals[2], results, minimum)


# ---- downloads -------------------------------------------------------------------

def response_columns(survey) -> list[str]:
    columns = [_("respuesta"), _("fecha"), _("distrito"), _("canal"), _("ejemplo")]
    for question in ordered_questions(survey):
        if question.kind == "matrix":
            columns += [f"{question.code} · {row}" for row in question.rows]
        else:
            columns.append(question.code)
    return columns


def response_rows(municipality, survey, minimum: int | None = None):
    """Every response, anonymized: a running number, the day, the district, the channel
    and the answers (texts only once approved, and only their redacted version).

    None below ``minimum`` responses (default :func:`min_count`); the district is left
    blank where it has fewer responses than that."""
    minimum = min_count() if minimum is None else minimum
    total, shown = publishable_districts(municipality, survey, minimum)
    if not stats.publishable(total, minimum):
        return
    questions = ordered_questions(survey)
    districts = {d.id: d.name for d in municipality.districts if d.id in shown}
    responses = db.session.scalars(
        select(SurveyResponse).where(SurveyResponse.municipality_id == municipality.id,
                                     SurveyResponse.survey_id == survey.id)
        .options(selectinload(SurveyResponse.answers)).order_by(SurveyResponse.id))
    for number, response in enumerate(responses, start=1):
        by_question: dict = {}
        for answer in response.answers:
            by_question.setdefault(answer.question_id, []).append(answer)
        row = [number, response.created_at.date(), districts.get(response.district_id, ""),
               str(CHANNEL_WORDS.get(response.channel, CHANNEL_WORDS["online"])), _("sí") if response.is_example else _("no")]
        for question in questions:
            answers = by_question.get(question.id, [])
            if question.kind == "matrix":
                given = {a.item: a for a in answers}
                for service in question.rows:
                    a = given.get(service)
                    row.append("" if a is None else (_("no uso") if a.number is None else a.number))
            elif question.kind in ("scale", "rating"):
                row.append(answers[0].number if answers else "")
            elif question.kind in ("single", "multiple"):
                row.append("; ".join(a.item for a in answers))
            else:
                row.append("; ".join(a.redacted for a in answers if a.moderation == "approved"))
        yield row


SUMMARY_COLUMNS = ["codigo", "pregunta", "fila", "valor", "cuenta", "proporcion", "n", "media",
                   "ic95_inferior", "ic95_superior"]


def interval(summary) -> tuple:
    """The ends of the 95 % interval, or two blanks where it means nothing."""
    if not stats.interval_meaningful(summary):
        return "", ""
    return summary.ci_low, summary.ci_high


def summary_rows(results: SurveyResults):
    for result in results.questions:
        q = result.question
        if result.matrix is not None:
            for row, summary, not_used in result.matrix.rows:
                yield [q.code, q.text, row, "", "", "", summary.n, summary.mean, *interval(summary)]
                yield [q.code, q.text, row, "no uso", not_used, "", "", "", "", ""]
            overall = result.matrix.overall
            yield [q.code, q.text, "(toda la matriz)", "", "", "", overall.n, overall.mean, *interval(overall)]
            continue
        s = result.summary
        yield [q.code, q.text, "", "", "", "", result.n, s.mean if s else "", *interval(s)]
        for share in result.shares:
            yield [q.code, q.text, "", share.value, share.count, share.share, "", "", "", ""]


# ---- diagnostic sources ----------------------------------------------------------

SATISFIED = 4  # ratings of 4 ("satisfecho") and 5 ("muy satisfecho")


def results_path(municipality, survey) -> str:
    """The survey's public results page (a path on this portal)."""
    return url_for("surveys.results_page", slug=municipality.slug, survey_id=survey.id, _external=False)


def _closed_surveys(municipality, as_of: date) -> list[Survey]:
    """Published surveys closed on or before ``as_of`` that have a service matrix, latest first."""
    surveys = db.session.scalars(
        select(Survey).where(Survey.municipality_id == municipality.id, Survey.status == "published",
                             Survey.questions.any(Question.kind == "matrix"))
        .options(selectinload(Survey.questions)))
    closed = [s for s in surveys if s.is_closed(as_of) and s.close_date <= as_of]
    return sorted(closed, key=lambda s: (s.close_date, s.id), reverse=True)


def _frequencies(municipality, survey, conditions) -> dict:
    return dict(db.session.execute(
        select(Answer.number, func.count()).join(Question, Question.id == Answer.question_id)
        .where(Answer.municipality_id == municipality.id, Question.survey_id == survey.id,
               Answer.number.is_not(None), *conditions)
        .group_by(Answer.number)).all())


def _mean_value(municipality, survey, conditions) -> stats.NumericSummary:
    return stats.summarize(_frequencies(municipality, survey, conditions))


def _source_value(municipality, survey, summary, value=None):
    if summary.n == 0 or summary.mean is None:
        return None
    return SourceValue(value=summary.mean if value is None else value, detail=f"n={summary.n}",
                       url=results_path(municipality, survey))


def _matrix_source(municipality, as_of: date, share: bool):
    for survey in _closed_surveys(municipality, as_of):
        freq = _frequencies(municipality, survey, [Question.kind == "matrix"])
        summary = stats.summarize(freq)
        value = _source_value(municipality, survey, summary,
                              stats.share_at_least(freq, SATISFIED) if share and summary.n else None)
        if value is not None:
            return value
    return None


def services_satisfaction(municipality, as_of: date, param: str | None = None):
    """Share (0 to 1) of the ratings of the service matrix that are "satisfecho" or
    "muy satisfecho" (4 or 5), in the latest published survey closed on or before
    ``as_of`` that has ratings; n = number of ratings ("no uso" excluded)."""
    return _matrix_source(municipality, as_of, share=True)


def services_mean(municipality, as_of: date, param: str | None = None):
    """Mean (1 to 5) of every rating of that same service matrix; n = number of ratings."""
    return _matrix_source(municipality, as_of, share=False)


def service_mean(municipality, as_of: date, param: str | None = None):
    """Mean (1-5) of one service's row (param = the service's name, any case) in the
    latest closed survey whose matrix rates it."""
    if not param:
        return None
    wanted = param.strip().lower()
    for survey in _closed_surveys(municipality, as_of):
        for question in survey.questions:
            if question.kind == "matrix":
                for row in question.rows or []:
                    if row.lower() == wanted:
                        value = _source_value(municipality, survey, _mean_value(
                            municipality, survey, [Answer.question_id == question.id, Answer.item == row]))
                        if value is not None:
                            return value
    return None


def question_mean(municipality, as_of: date, param: str | None = None):
    """Mean of one numeric question (param = "<survey id>:<question code>"): a scale
    (1-5), a 0-10 rating or a whole matrix (1-5), when its results are public by ``as_of``."""
    survey_id, _, code = (param or "").partition(":")
    if not bounds.is_id(survey_id) or not code:
        return None
    survey = db.session.scalars(select(Survey).where(
        Survey.id == int(survey_id), Survey.municipality_id == municipality.id,
        Survey.status == "published")).first()
    if survey is None or survey.opens_on > as_of:
        return None
    if survey.results_mode != "live" and not (survey.is_closed(as_of) and survey.close_date <= as_of):
        return None
    question = db.session.scalars(select(Question).where(
        Question.survey_id == survey.id, Question.code == code, Question.kind.in_(NUMERIC_KINDS))).first()
    if question is None:
        return None
    return _source_value(municipality, survey, _mean_value(municipality, survey, [Answer.question_id == question.id]))


def numeric_questions(municipality) -> list:
    """(survey, question) pairs usable as ``surveys.question_mean`` sources."""
    return list(db.session.execute(
        select(Survey, Question).join(Question, Question.survey_id == Survey.id)
        .where(Survey.municipality_id == municipality.id, Survey.status == "published",
               Question.kind.in_(NUMERIC_KINDS)).order_by(Survey.id, Question.id)))

