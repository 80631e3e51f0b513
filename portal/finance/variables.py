"""The names formulas read, as people read them.

A formula names ``<aggregate>_<phase>`` (``inversion_infraestructura_devengado``),
facts (``saldo_deuda``), ``rubro_<code>`` and ``anterior_<name>`` (see
:mod:`portal.finance.ratios`). :func:`variable_label` turns any of them into words in
the reader's language: "Inversión en infraestructura (devengado)", "Saldo de la deuda",
"Ingresos operacionales (devengado), año anterior". A fact a municipality invented
reads as its words (``mora_agua`` -> "mora agua"), never as a code.
"""
import re

from flask import has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.finance.ratios import PHASES, PREVIOUS

AGGREGATES = {
    "impuestos": _l("Impuestos"), "ingresos_propios": _l("Ingresos propios"),
    "ingresos_corrientes": _l("Ingresos corrientes"), "ingresos_totales": _l("Ingresos totales"),
    "ingresos_operacionales": _l("Ingresos operacionales"), "tasas": _l("Tasas y derechos"),
    "transferencias_corrientes_recibidas": _l("Transferencias corrientes recibidas"),
    "ingresos_capital": _l("Ingresos de capital"),
    "transferencias_capital_recibidas": _l("Transferencias de capital recibidas"),
    "endeudamiento": _l("Endeudamiento"), "saldos_anteriores": _l("Saldos de años anteriores"),
    "remuneraciones": _l("Remuneraciones"), "gastos_corrientes": _l("Gastos corrientes"),
    "egresos_totales": _l("Egresos totales"), "bienes_servicios": _l("Bienes y servicios"),
    "gastos_financieros": _l("Gastos financieros"),
    "transferencias_corrientes_otorgadas": _l("Transferencias corrientes otorgadas"),
    "inversion": _l("Inversión"), "servicio_deuda": _l("Servicio de la deuda"),
    "saldos_anteriores_egresos": _l("Saldos de años anteriores (egresos)"),
    "inversion_infraestructura": _l("Inversión en infraestructura"),
}
FACTS = {
    "saldo_deuda": _l("Saldo de la deuda"), "pasivo_circulante": _l("Pasivo circulante"),
    "deuda_corto_plazo": _l("Deuda de corto plazo"), "intereses": _l("Intereses"),
    "ahorro_operacional": _l("Ahorro operacional"),
    "intereses_ejercicio_anterior": _l("Intereses del ejercicio anterior"),
    "mora_impuestos": _l("Mora de impuestos"), "mora_tasas": _l("Mora de tasas"),
}
PHASE_LABELS = {"presupuestado": _l("presupuestado"), "modificado": _l("modificado"),
                "devengado": _l("devengado"), "percibido": _l("percibido")}
RUBRO = "rubro_"
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _plain(name: str) -> str:
    """A name nobody declared: its words (never the code with underscores)."""
    return name.replace("_", " ").strip()


def _base_label(name: str) -> str:
    if name in FACTS:
        return str(FACTS[name])
    if name in AGGREGATES:
        return str(AGGREGATES[name])
    if name.startswith(RUBRO):
        return _("Rubro %(code)s", code=name[len(RUBRO):])
    return _plain(name)


def variable_label(name: str) -> str:
    """Any name a formula or a fact may use, in words (see the module docstring)."""
    name = (name or "").strip()
    if name.startswith(PREVIOUS):
        return _("%(name)s, año anterior", name=variable_label(name[len(PREVIOUS):]))
    if name in FACTS:
        return str(FACTS[name])
    for phase in PHASES:
        if name.endswith("_" + phase):
            return _("%(name)s (%(phase)s)", name=_base_label(name[:-len(phase) - 1]),
                     phase=PHASE_LABELS[phase])
    return _base_label(name)


def variables_label(names) -> str:
    """Several names, in words, separated by semicolons (names may contain commas)."""
    return "; ".join(variable_label(n) for n in names)


def formula_words(formula: str) -> str:
    """A formula with each name in words: ``saldo_deuda / anterior_ingresos_operacionales_devengado``
    -> "Saldo de la deuda / Ingresos operacionales (devengado), año anterior"."""
    return NAME.sub(lambda match: variable_label(match.group(0)), formula or "")


# The default catalog's indicator names and references (data/indicators.json), translatable.
INDICATOR_NAMES = {
    "Autonomía financiera": _l("Autonomía financiera"),
    "Participación de tasas y derechos": _l("Participación de tasas y derechos"),
    "Participación de impuestos": _l("Participación de impuestos"),
    "Eficacia en la recaudación": _l("Eficacia en la recaudación"),
    "Autonomía operativa": _l("Autonomía operativa"), "Eficiencia del gasto": _l("Eficiencia del gasto"),
    "Participación de los gastos operativos": _l("Participación de los gastos operativos"),
    "Índice de gasto en personal": _l("Índice de gasto en personal"),
    "Eficacia administrativa": _l("Eficacia administrativa"), "Ahorro corriente": _l("Ahorro corriente"),
    "Subsidio del gasto corriente": _l("Subsidio del gasto corriente"),
    "Participación de la inversión": _l("Participación de la inversión"),
    "Inversión en infraestructura": _l("Inversión en infraestructura"),
    "Índice de servicio de la deuda": _l("Índice de servicio de la deuda"),
    "Capacidad de pago": _l("Capacidad de pago"), "Límite de endeudamiento": _l("Límite de endeudamiento"),
    "Resultado presupuestario": _l("Resultado presupuestario"),
    "Eficacia en la ejecución de ingresos": _l("Eficacia en la ejecución de ingresos"),
    "Eficacia en la ejecución de egresos": _l("Eficacia en la ejecución de egresos"),
    "Ejecución de la inversión": _l("Ejecución de la inversión"),
    # references
    "participación": _l("participación"), "alcance de la meta": _l("alcance de la meta"),
    "superávit (>= 0)": _l("superávit (>= 0)"), "cuanto menor, mejor": _l("cuanto menor, mejor"),
    "cuanto mayor, mejor": _l("cuanto mayor, mejor"),
    "obligaciones <= 0,6 veces el ahorro operacional (resultado positivo)":
        _l("obligaciones <= 0,6 veces el ahorro operacional (resultado positivo)"),
    "<= 1,7 (límite legal en El Salvador)": _l("<= 1,7 (límite legal en El Salvador)"),
    "superávit o déficit": _l("superávit o déficit"),
}


def catalog_text(text: str) -> str:
    """A name or reference of the default catalog in the reader's language (Spanish, as written,
    outside a request: the CLI and stored comparisons); any other text as written."""
    label = INDICATOR_NAMES.get(text)
    return str(label) if label is not None and has_request_context() else text
