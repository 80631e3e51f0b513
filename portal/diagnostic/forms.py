"""Staff forms of the diagnostic."""
from flask_babel import lazy_gettext as _l
from portal.core.forms import Form, SubForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (DateField, DecimalField, FormField, SelectField, SelectMultipleField, StringField,
                     TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, URL
from wtforms.widgets import CheckboxInput, ListWidget


class NewAssessmentForm(Form):
    date = DateField(_l("Fecha del diagnóstico"), validators=[DataRequired()])
    title = StringField(_l("Título (opcional)"), validators=[Optional(), Length(max=200)])


class QueryForm(Form):
    note = TextAreaField(_l("Qué debe revisarse"), validators=[DataRequired(), Length(max=4000)])


class PublishForm(Form):
    conclusions = TextAreaField(_l("Conclusiones"), validators=[Optional(), Length(max=20000)])
    next_steps = TextAreaField(_l("Próximos pasos"), validators=[Optional(), Length(max=20000)])


class ActionForm(Form):
    """A button-only form (CSRF)."""


class ImportCatalogForm(Form):
    file = FileField(_l("Archivo del catálogo (CSV o XLSX)"), validators=[FileRequired()])
    name = StringField(_l("Nombre del catálogo"), validators=[DataRequired(), Length(max=120)])


class ImportScoresForm(Form):
    file = FileField(_l("Archivo de puntajes (CSV o XLSX)"), validators=[FileRequired()])
    date = DateField(_l("Fecha del diagnóstico"), validators=[DataRequired()])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


STATE_CHOICES = [SelectChoice("scored", _l("Con puntaje")), SelectChoice("na", _l("No aplica")),
                 SelectChoice("nr", _l("No reportado"))]


def entry_form(indicators, scores):
    """A form with one fieldset per indicator of a sub-area: state, score (0-100) or
    checklist items met, note and evidence address. Prefilled from ``scores``."""
    class IndicatorEntry(SubForm):
        state = SelectField(_l("Estado"), choices=STATE_CHOICES)
        value = DecimalField(_l("Puntaje (0 a 100)"), places=None,
                             validators=[Optional(), NumberRange(min=0, max=100)])
        note = TextAreaField(_l("Nota"), validators=[Optional(), Length(max=4000)])
        evidence_url = StringField(_l("Dirección de la evidencia"),
                                   validators=[Optional(), URL(message=_l("Escriba una dirección completa (https://...)."))])

    fields = {}
    for indicator in indicators:
        entry = type(f"Entry_{indicator.id}", (IndicatorEntry,), {})
        if indicator.checklist:
            entry.met = MultiCheckboxField(_l("Elementos cumplidos"), coerce=int,
                                           choices=[SelectChoice(item.id, item.text) for item in indicator.checklist])
        fields[f"i{indicator.id}"] = FormField(entry, label=f"{indicator.code} {indicator.name}")
    form_class = type("EntryForm", (Form,), fields)
    data = {}
    for indicator in indicators:
        score = scores.get(indicator.code)
        if score is None:
            continue
        data[f"i{indicator.id}"] = {
            "state": score.state, "value": score.value, "note": score.note, "evidence_url": score.evidence_url,
            "met": [int(x) for x in score.checklist_met.split(",") if x]}
    return form_class(data=data)


def entries_from(form, indicators) -> list[dict]:
    out = []
    for indicator in indicators:
        sub = form[f"i{indicator.id}"]
        out.append({"code": indicator.code, "state": sub.state.data, "value": sub.value.data,
                    "note": sub.note.data or "", "evidence_url": (sub.evidence_url.data or "").strip(),
                    "checklist_met": sub.met.data if "met" in sub else []})
    return out


def validate_entries(form, indicators) -> bool:
    """A scored indicator without checklist needs a score."""
    ok = form.validate()
    for indicator in indicators:
        sub = form[f"i{indicator.id}"]
        if sub.state.data == "scored" and not indicator.checklist and sub.value.data is None and not sub.value.errors:
            sub.value.errors = list(sub.value.errors) + [_l("Escriba un puntaje de 0 a 100 o cambie el estado.")]
            ok = False
    return ok

