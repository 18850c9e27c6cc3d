"""The query-string forms of the profile pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class DayField(forms.DateField):
    """A date written YYYY-MM-DD; a malformed or impossible one (2019-02-30) is named."""

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                _("“%(value)s” is not a date: give one as YYYY-MM-DD, e.g. 2019-07-15."),
                code="invalid",
                params={"value": str(value)[:40]},
            ) from None


class AsOfForm(forms.Form):
    """?on=2019-07-15: the date a profile is computed for; today when not given."""

    on = DayField(label=_("As of"), required=False, help_text=_("YYYY-MM-DD. Today if empty."))

    @property
    def date(self):
        """The date asked for, None for today; only once the form is valid."""
        return self.cleaned_data.get("on")


# The years a date field holds.
EARLIEST_YEAR, LATEST_YEAR = 1, 9999


class YearRangeForm(forms.Form):
    """`?from=2012&to=2019`: the years a timeline shows, each optional. Its fields are named
    "from" and "to", as the query string spells them ("from" is a Python keyword, so they are
    added in `__init__`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label, help_text in (
            ("from", _("From the year"), _("Leave blank to start at the first event.")),
            ("to", _("To the year"), _("Leave blank to end at the last event.")),
        ):
            self.fields[name] = forms.IntegerField(
                label=label,
                help_text=help_text,
                required=False,
                min_value=EARLIEST_YEAR,
                max_value=LATEST_YEAR,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("from"), cleaned.get("to")
        if first is not None and last is not None and first > last:
            raise ValidationError(_("The first year comes after the last: swap them."))
        return cleaned
