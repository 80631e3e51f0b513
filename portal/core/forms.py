"""The base of every form of the portal.

:class:`Form` is Flask-WTF's form (with CSRF) and :class:`SubForm` the plain WTForms
form used inside a ``FormField``; both add the portal's input bounds to every field as
it is bound, so no form can forget them: control characters are stripped from text
(:func:`portal.core.bounds.clean_texts`), and numbers and dates get the bounds of
:func:`portal.core.bounds.validators_for` before their own validators.
"""
import wtforms
from flask_wtf import FlaskForm

from portal.core import bounds


class BoundedMeta:
    """A WTForms ``Meta`` mixin that adds the bounds to every field it binds."""

    def bind_field(self, form, unbound_field, options):
        kwargs = unbound_field.kwargs
        containers = (wtforms.FormField, wtforms.FieldList)  # their inner fields are bound by their own forms
        if len(unbound_field.args) < 3 and not issubclass(unbound_field.field_class, containers):
            options["filters"] = [bounds.clean_texts, *(kwargs.get("filters") or ())]
        extra = bounds.validators_for(unbound_field.field_class)
        if extra and len(unbound_field.args) < 2:
            options["validators"] = [*extra, *(kwargs.get("validators") or ())]
        return super().bind_field(form, unbound_field, options)


class Form(FlaskForm):
    class Meta(BoundedMeta, FlaskForm.Meta):
        pass


class SubForm(wtforms.Form):
    class Meta(BoundedMeta, wtforms.Form.Meta):
        pass
