from django import forms
from django.utils.translation import gettext_lazy as _

from policytracker.corrections.models import Correction


class CorrectionForm(forms.ModelForm):
    # Left empty by people, filled in by the robots that fill in every field: such a report
    # is thanked for and not kept.
    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Correction
        fields = ["page", "message", "evidence", "reply_to"]
        widgets = {
            "message": forms.Textarea(attrs={"rows": 6}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }

    @property
    def is_from_a_robot(self):
        return bool(self.cleaned_data.get("website"))
