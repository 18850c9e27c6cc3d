"""Admin pages for tests: their URLs, and what a change form would post back unchanged,
read from the page as a browser would."""

import datetime

from django.urls import reverse


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _value(bound_field):
    value = bound_field.value()
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "name") and not isinstance(value, str):  # a stored file
        return ""
    return str(value)


def form_data(page, **changes):
    """The POST data of the admin form on `page` (a response), with `changes` applied."""
    data = {}
    form = page.context["adminform"].form
    for bound_field in form:
        value = _value(bound_field)
        if value not in ("", []) or not bound_field.field.disabled:
            data[bound_field.html_name] = value
    for inline in page.context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{formset.prefix}-{name}"] = management[name].value()
        for inline_form in formset.forms:
            for bound_field in inline_form:
                data[bound_field.html_name] = _value(bound_field)
    data["_save"] = "Save"
    return {key: value for key, value in data.items() if value != []} | changes
