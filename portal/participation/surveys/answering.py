"""Checking a page of answers and turning the answers into rows (pure).

Form values are ``{field name: [strings]}`` as a browser sends them: ``q<id>`` for a
question, ``q<id>_r<i>`` for row ``i`` of a service matrix (value ``1``-``5`` or
``na`` for "no uso este servicio"). Error codes (``required``, ``invalid``,
``too_many``, ``too_long``) are turned into sentences by the template.

Conditional display: a question with ``condition_question_id`` is shown only when that
earlier question's answer equals ``condition_value`` (for multiple choice: includes
it). The condition must point to a question on an earlier page, so that pages work
without JavaScript; a hidden question's answers are dropped.
"""
from dataclasses import dataclass

TEXT_LIMITS = {"short_text": 200, "long_text": 2000}
NOT_USED = "na"


@dataclass(frozen=True)
class QuestionSpec:
    id: int
    code: str
    kind: str
    required: bool = False
    options: tuple = ()
    max_choices: int | None = None
    rows: tuple = ()
    condition_question_id: int | None = None
    condition_value: str = ""


@dataclass(frozen=True)
class AnswerValue:
    question_id: int
    item: str = ""
    number: int | None = None
    text: str = ""


def field_name(question_id: int, row: int | None = None) -> str:
    return f"q{question_id}" if row is None else f"q{question_id}_r{row}"


def field_names(spec: QuestionSpec) -> list[str]:
    if spec.kind == "matrix":
        return [field_name(spec.id, i) for i in range(len(spec.rows))]
    return [field_name(spec.id)]


def is_visible(spec: QuestionSpec, values: dict, by_id: dict) -> bool:
    """Whether the question is shown, given every answer so far."""
    if spec.condition_question_id is None:
        return True
    parent = by_id.get(spec.condition_question_id)
    if parent is None:
        return True
    if not is_visible(parent, values, by_id):
        return False
    given = [v for v in values.get(field_name(parent.id), []) if v != ""]
    return spec.condition_value in given


def _scale_range(kind: str) -> range:
    return range(0, 11) if kind == "rating" else range(1, 6)


def _check(spec: QuestionSpec, raw: dict) -> tuple[dict, dict]:
    """Clean values and error codes for one question."""
    values, errors = {}, {}
    if spec.kind == "matrix":
        allowed = {str(v) for v in _scale_range("scale")} | {NOT_USED}
        for name in field_names(spec):
            given = [v for v in raw.get(name, []) if v != ""][:1]
            values[name] = given
            if given and given[0] not in allowed:
                errors[name] = "invalid"
            elif not given and spec.required:
                errors[name] = "required"
        return values, errors
    name = field_name(spec.id)
    given = [v.strip() for v in raw.get(name, []) if v.strip() != ""]
    if spec.kind in ("scale", "rating"):
        given = given[:1]
        if given and given[0] not in {str(v) for v in _scale_range(spec.kind)}:
            errors[name] = "invalid"
    elif spec.kind == "single":
        given = given[:1]
        if given and given[0] not in spec.options:
            errors[name] = "invalid"
    elif spec.kind == "multiple":
        given = list(dict.fromkeys(given))
        if any(v not in spec.options for v in given):
            errors[name] = "invalid"
        elif spec.max_choices and len(given) > spec.max_choices:
            errors[name] = "too_many"
    else:
        given = given[:1]
        if given and len(given[0]) > TEXT_LIMITS.get(spec.kind, 2000):
            errors[name] = "too_long"
    values[name] = given
    if not given and spec.required and name not in errors:
        errors[name] = "required"
    return values, errors


def check_page(page: list, posted: dict, earlier: dict, all_specs: list) -> tuple[dict, dict]:
    """Check the questions of one page.

    Returns the page's values (kept even when wrong, so the page shows what was
    typed) and ``{field name: error code}`` for the visible questions only."""
    by_id = {s.id: s for s in all_specs}
    values, problems = {}, []
    for spec in page:
        clean, found = _check(spec, posted)
        values.update(clean)
        problems.append((spec, found))
    known = {**earlier, **values}
    errors = {}
    for spec, found in problems:
        if is_visible(spec, known, by_id):
            errors.update(found)
    return values, errors


def to_answers(specs: list, values: dict) -> list[AnswerValue]:
    """The answers to store: visible questions with a value."""
    by_id = {s.id: s for s in specs}
    out = []
    for spec in specs:
        if not is_visible(spec, values, by_id):
            continue
        if spec.kind == "matrix":
            for index, row in enumerate(spec.rows):
                given = values.get(field_name(spec.id, index), [])
                if given:
                    number = None if given[0] == NOT_USED else int(given[0])
                    out.append(AnswerValue(spec.id, item=row, number=number))
            continue
        given = values.get(field_name(spec.id), [])
        if not given:
            continue
        if spec.kind in ("scale", "rating"):
            out.append(AnswerValue(spec.id, number=int(given[0])))
        elif spec.kind == "single":
            out.append(AnswerValue(spec.id, item=given[0]))
        elif spec.kind == "multiple":
            out.extend(AnswerValue(spec.id, item=v) for v in given)
        else:
            out.append(AnswerValue(spec.id, text=given[0]))
    return out


def from_answers(specs: list, answers: list) -> dict:
    """Form values from stored answers (to change an earlier response)."""
    by_id = {s.id: s for s in specs}
    values: dict = {}
    for answer in answers:
        spec = by_id.get(answer.question_id)
        if spec is None:
            continue
        if spec.kind == "matrix":
            if answer.item in spec.rows:
                name = field_name(spec.id, spec.rows.index(answer.item))
                values[name] = [NOT_USED if answer.number is None else str(answer.number)]
        elif spec.kind in ("scale", "rating"):
            values[field_name(spec.id)] = [str(answer.number)]
        elif spec.kind in ("single", "multiple"):
            values.setdefault(field_name(spec.id), []).append(answer.item)
        else:
            values[field_name(spec.id)] = [answer.text]
    return values
