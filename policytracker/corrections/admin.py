from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from policytracker.corrections.models import Correction


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Readers' reports: what they sent stays as sent; staff set the state and a note."""

    list_display = ("received_at", "page", "short_message", "state", "handled_by")
    list_filter = ("state", "received_at")
    search_fields = ("page", "message", "evidence")
    date_hierarchy = "received_at"
    readonly_fields = ("received_at", "page", "message", "evidence", "reply_to")
    fields = (*readonly_fields, "state", "staff_note", "handled_by")
    list_per_page = 50

    def has_add_permission(self, request):
        return False  # they come from readers, through the site's form

    @admin.display(description=_("what is wrong"))
    def short_message(self, obj):
        return Truncator(obj.message).chars(80)

    def save_model(self, request, obj, form, change):
        if "state" in form.changed_data and obj.handled_by is None:
            obj.handled_by = request.user
        super().save_model(request, obj, form, change)
