from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from policytracker.corrections.forms import CorrectionForm


class CorrectionView(FormView):
    """A form any reader can send, without an account: which page, what is wrong, the
    source that shows it. Kept for staff in the admin under "Corrections"."""

    form_class = CorrectionForm
    template_name = "corrections/correction_form.html"

    def get_initial(self):
        return {"page": self.request.GET.get("page", "")[:500]}

    def form_valid(self, form):
        if not form.is_from_a_robot:
            form.save()
        return redirect(reverse("corrections:thanks"))

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ThanksView(TemplateView):
    template_name = "corrections/thanks.html"
