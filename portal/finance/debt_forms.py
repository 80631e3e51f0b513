"""Forms of the debt page: the "what if we borrow" simulation (GET, no JavaScript) and
the staff upload of loans and supplier plans."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DecimalField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.core.bounds import MoneyField
from portal.core.forms import Form

METHOD_CHOICES = [SelectChoice("french", _l("Cuota fija (sistema francés)")),
                  SelectChoice("constant", _l("Amortización constante"))]
PERIOD_CHOICES = [SelectChoice("12", _l("Mensuales")), SelectChoice("4", _l("Trimestrales")),
                  SelectChoice("2", _l("Semestrales")), SelectChoice("1", _l("Anuales"))]


class SimulationForm(Form):
    """Read from the query string: a link can be shared and the page works without JS."""

    class Meta:
        csrf = False

    monto = MoneyField(_l("Monto del nuevo préstamo"),
                       validators=[DataRequired(_l("Escriba el monto.")),
                                   NumberRange(min=1, message=_l("El monto debe ser mayor que cero."))])
    plazo = IntegerField(_l("Plazo en años"), validators=[DataRequired(_l("Escriba el plazo en años.")),
                                                          NumberRange(1, 50, _l("El plazo va de 1 a 50 años."))])
    tasa = DecimalField(_l("Tasa de interés anual (%)"), places=None,
                        validators=[DataRequired(_l("Escriba la tasa anual.")),
                                    NumberRange(0, 99, _l("La tasa va de 0 a 99 %."))])
    desde = IntegerField(_l("Año del desembolso"), validators=[DataRequired(_l("Escriba el año del desembolso.")),
                                                                NumberRange(1900, 2200)])
    metodo = SelectField(_l("Método"), choices=METHOD_CHOICES, default="french")
    cuotas = SelectField(_l("Cuotas"), choices=PERIOD_CHOICES, default="12")
    escenario = StringField(_l("Escenario de proyección"), validators=[Optional(), Length(max=120)])


class DebtImportForm(Form):
    file = FileField(_l("Archivo CSV o XLSX"), validators=[FileRequired(_l("Elija un archivo."))])
    kind = SelectField(_l("Qué contiene"), choices=[
        SelectChoice("loans", _l("Préstamos (nombre, monto, tasa, plazo, inicio, método, cuotas por año, gracia)")),
        SelectChoice("suppliers", _l("Planes de pago a proveedores (proveedor, vencimiento, monto, pagado, año de pago)"))],
        default="loans")
    decimal_comma = BooleanField(_l("Los números usan coma decimal (1.234,56)"))
    publish = BooleanField(_l("Publicar al importar"))
