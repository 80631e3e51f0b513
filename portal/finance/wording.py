"""What is wrong with a projection rule or a line code, in the reader's language.

The pure modules (:mod:`portal.finance.projections`, :mod:`portal.finance.classifier`)
answer with a code; this is the one place that turns those codes into sentences through
the catalogs, for pages, import problem lists and the command line alike."""

from flask_babel import lazy_gettext as _l

from portal.finance import classifier as classifiers
from portal.finance import projections


def rule_problem(rule: projections.Rule):
    """None when the rule is complete, else a lazy sentence saying what is missing."""
    code = projections.check_rule(rule)
    if code == "method":
        return _l("método desconocido: use percentage, average, direct u oneoff")
    if code == "years":
        return _l("el año final es anterior al inicial")
    if code == "rate":
        return _l("el método percentage necesita una tasa (0.05 es el 5 por ciento)")
    if code == "amount":
        return _l("el método %(method)s necesita un importe", method=rule.method)
    return None


def code_problem(classifier: classifiers.Classifier, code: str):
    """None when ``code`` is a valid line code, else a lazy sentence saying what is wrong."""
    problem = classifiers.check_code(classifier, code)
    if problem == "format":
        return _l("código no válido: use el rubro (p. ej. 11) o una línea bajo él (p. ej. 11.01)")
    if problem == "rubro":
        return _l("el rubro «%(rubro)s» no está en el clasificador (%(known)s)",
                  rubro=classifiers.rubro_of(code), known=", ".join(c.code for c in classifier.codes))
    return None


def rule_or_code_problem(classifier: classifiers.Classifier, rule: projections.Rule):
    """The first thing wrong with the rule or its line code, or None."""
    return rule_problem(rule) or code_problem(classifier, rule.code)
