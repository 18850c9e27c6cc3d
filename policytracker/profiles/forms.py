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
