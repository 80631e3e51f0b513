"""Pure modules, on hand-computed cases: statistics, the t quantile, answer checks,
conditional display and redaction."""
from decimal import Decimal

import pytest

from portal.participation.surveys import answering, stats
from portal.participation.surveys.redaction import MARK, redact

D = Decimal


# Hand computations: mean = sum/n; s^2 = sum((x-mean)^2)/(n-1); half = t(0.975,n-1)*s/sqrt(n).
@pytest.mark.parametrize("freq, n, mean, sd, low, high", [
    # 1,2,3,4,5: mean 3, s^2 = 10/4 = 2.5, s = 1.581139, se = 0.707107, t4 = 2.776445, half = 1.963243
    ({1: 1, 2: 1, 3: 1, 4: 1, 5: 1}, 5, D("3"), D("1.581139"), D("1.036757"), D("4.963243")),
    # 2,2,4,4: mean 3, s^2 = 4/3, s = 1.154701, se = 0.577350, t3 = 3.182446, half = 1.837386
    ({2: 2, 4: 2}, 4, D("3"), D("1.154701"), D("1.162614"), D("4.837386")),
    # 4,4,4: no spread, the interval is the mean itself
    ({4: 3}, 3, D("4"), D("0"), D("4"), D("4")),
    # 1 and 2: mean 1.5, s^2 = 0.5, s = 0.707107, se = 0.5, t1 = 12.706205, half = 6.353103 (rounded)
    ({1: 1, 2: 1}, 2, D("1.5"), D("0.707107"), D("-4.853103"), D("7.853103")),
])
def test_summary_hand_computed(freq, n, mean, sd, low, high):
    s = stats.summarize(freq)
    assert (s.n, s.mean, s.sd, s.ci_low, s.ci_high) == (n, mean, sd, low, high)


def test_summary_small_cases():
    assert stats.summarize({}) == stats.NumericSummary(0, None, None, None, None)
    assert stats.summarize({3: 1}) == stats.NumericSummary(1, D("3"), None, None, None)
    assert stats.summarize({1: 1, 2: 2}).mean == D("1.666667")  # 5/3 rounded half-up


@pytest.mark.parametrize("df, expected", [(1, "12.706205"), (4, "2.776445"), (30, "2.042272"),
                                          (31, "2.039513"), (60, "2.000298"), (120, "1.979930")])
def test_t_quantile(df, expected):
    assert stats.t_quantile_975(df) == D(expected)


def test_t_quantile_decreases_towards_the_normal():
    values = [stats.t_quantile_975(df) for df in range(1, 400)]
    assert all(a > b for a, b in zip(values, values[1:]))
    assert D("1.959964") < values[-1] < D("1.97")
    with pytest.raises(ValueError):
        stats.t_quantile_975(0)


def test_distribution_and_matrix():
    shares = stats.distribution({"Sí": 3, "No": 1}, ["Sí", "No", "Tal vez"])
    assert [(s.value, s.count, s.share) for s in shares] == [("Sí", 3, D("0.75")), ("No", 1, D("0.25")),
                                                             ("Tal vez", 0, D("0"))]
    # Multiple choice: shares of 2 respondents can add up to more than 1.
    assert [s.share for s in stats.distribution({"a": 2, "b": 1}, ["a", "b"], base=2)] == [D("1"), D("0.5")]
    m = stats.summarize_matrix(["Agua", "Calles"], {"Agua": {5: 1, 3: 1}, "Calles": {1: 2}}, {"Calles": 1})
    assert [(row, s.n, s.mean, nu) for row, s, nu in m.rows] == [("Agua", 2, D("4"), 0), ("Calles", 2, D("1"), 1)]
    assert (m.overall.n, m.overall.mean) == (4, D("2.5"))  # (5+3+1+1)/4
    assert stats.by_group({"A": {1: 1, 3: 1}})["A"].mean == D("2")
    assert stats.share_at_least({1: 1, 3: 1, 4: 1, 5: 1}, 4) == D("0.5")
    assert stats.share_at_least({5: 2, 1: 1}, 4) == D("0.666667")
    assert stats.share_at_least({}, 4) is None


SPECS = [
    answering.QuestionSpec(1, "A", "scale", required=True),
    answering.QuestionSpec(2, "B", "single", options=("Sí", "No")),
    answering.QuestionSpec(3, "C", "multiple", options=("x", "y", "z"), max_choices=2),
    answering.QuestionSpec(4, "D", "matrix", required=True, rows=("Agua", "Calles")),
    answering.QuestionSpec(5, "E", "short_text", required=True, condition_question_id=2, condition_value="No"),
    answering.QuestionSpec(6, "F", "rating"),
]


@pytest.mark.parametrize("posted, errors", [
    ({}, {"q1": "required", "q4_r0": "required", "q4_r1": "required"}),
    ({"q1": ["6"], "q4_r0": ["5"], "q4_r1": ["na"]}, {"q1": "invalid"}),
    ({"q1": ["3"], "q2": ["Quizá"], "q4_r0": ["5"], "q4_r1": ["na"]}, {"q2": "invalid"}),
    ({"q1": ["3"], "q3": ["x", "y", "z"], "q4_r0": ["1"], "q4_r1": ["2"]}, {"q3": "too_many"}),
    ({"q1": ["3"], "q2": ["No"], "q4_r0": ["1"], "q4_r1": ["2"]}, {"q5": "required"}),  # shown, required
    ({"q1": ["3"], "q2": ["Sí"], "q4_r0": ["1"], "q4_r1": ["2"], "q6": ["11"]}, {"q6": "invalid"}),
    ({"q1": ["3"], "q2": ["Sí"], "q4_r0": ["1"], "q4_r1": ["2"], "q6": ["0"]}, {}),
])
def test_check_page(posted, errors):
    values, found = answering.check_page(SPECS, posted, {}, SPECS)
    assert found == errors
    assert values["q1"] == posted.get("q1", [])  # what was typed is kept, even when wrong


def test_answers_round_trip_and_hidden_questions_dropped():
    values = {"q1": ["4"], "q2": ["Sí"], "q3": ["x", "z"], "q4_r0": ["5"], "q4_r1": ["na"], "q5": ["oculto"],
              "q6": ["7"]}
    answers = answering.to_answers(SPECS, values)
    assert answering.AnswerValue(4, item="Calles", number=None) in answers
    assert answering.AnswerValue(3, item="z") in answers
    assert not [a for a in answers if a.question_id == 5]  # hidden: the condition is not met
    assert answering.from_answers(SPECS, answers) == {k: v for k, v in values.items() if k != "q5"}


def test_redaction():
    text = "Llame al 7777-1234 o +503 2222 3333, escriba a ana.p@correo.sv; DUI 01234567-8. Calle 5 de 2024."
    assert redact(text) == (f"Llame al {MARK} o {MARK}, escriba a {MARK}; DUI {MARK}. Calle 5 de 2024.")
