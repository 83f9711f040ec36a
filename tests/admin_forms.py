"""Send an admin change form back as a browser would, with some fields changed."""

from django import forms


def _field_data(bound) -> dict:
    widget, value = bound.field.widget, bound.value()
    if isinstance(bound.field, forms.FileField) or value is None:
        return {}
    if isinstance(widget, forms.CheckboxInput):
        return {bound.html_name: "on"} if value else {}
    if isinstance(widget, forms.MultiWidget):
        parts = value if isinstance(value, list) else widget.decompress(value)
        return {
            f"{bound.html_name}_{i}": sub.format_value(part) or ""
            for i, (sub, part) in enumerate(zip(widget.widgets, parts, strict=True))
        }
    if isinstance(value, list | tuple):
        return {bound.html_name: [str(item) for item in value]}
    return {bound.html_name: str(value)}


def form_data(response, **changes) -> dict:
    """Return the data of the admin form in ``response`` (with its inlines), with ``changes``."""
    forms_ = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms_ += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms_:
        for bound in form:
            data.update(_field_data(bound))
    data.update(changes)
    return data
