from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Statement
from policytracker.admin import PublicRecordAdmin
from policytracker.profiles.admin import AgreementProvisionInline, StatementProvisionInline


@admin.register(Agreement)
class AgreementAdmin(PublicRecordAdmin):
    inlines = [*PublicRecordAdmin.inlines, AgreementProvisionInline]
    list_display = (
        "title",
        "kind",
        "status",
        "local_party",
        "federal_party",
        "signed_on",
        "publication_state",
        "citation_count",
    )
    list_filter = (
        "kind",
        "status",
        "listing_state",
        "publication_state",
        "signed_on_precision",
    )
    list_select_related = ("local_party", "federal_party")
    search_fields = (
        "title",
        "title_es",
        "slug",
        "summary",
        "scope",
        "local_party__name",
        "local_party__abbreviation",
        "federal_party__name",
        "federal_party__abbreviation",
    )
    date_hierarchy = "signed_on"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("local_party", "federal_party")
    fieldsets = (
        (
            None,
            {"fields": ("title", "title_es", "slug", "kind", "status", "summary", "summary_es")},
        ),
        (_("Parties"), {"fields": ("local_party", "federal_party")}),
        (
            _("Dates (at the precision the sources give)"),
            {
                "fields": (
                    ("signed_on", "signed_on_precision"),
                    ("effective_on", "effective_on_precision"),
                    ("expires_on", "expires_on_precision"),
                    ("terminated_on", "terminated_on_precision"),
                )
            },
        ),
        (_("Terms"), {"fields": ("scope", "exclusions", "full_text")}),
        (
            _("Published list (set by the importer)"),
            {
                "fields": ("listing_state", "listing_id", "first_listed_on", "last_listed_on"),
                "classes": ["collapse"],
            },
        ),
        (_("Publication"), {"fields": ("publication_state", "created_at", "updated_at")}),
    )
    readonly_fields = (*PublicRecordAdmin.readonly_fields, "listing_id")


@admin.register(Statement)
class StatementAdmin(PublicRecordAdmin):
    inlines = [*PublicRecordAdmin.inlines, StatementProvisionInline]
    list_display = (
        "title",
        "speaker_agency",
        "speaker_name",
        "made_on",
        "publication_state",
        "citation_count",
    )
    list_filter = ("publication_state", "made_on_precision", "speaker_agency__kind")
    list_select_related = ("speaker_agency",)
    search_fields = ("title", "title_es", "slug", "text", "speaker_name", "speaker_agency__name")
    date_hierarchy = "made_on"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = (
        "speaker_agency",
        "about_jurisdictions",
        "about_agencies",
        "about_ordinances",
        "about_agreements",
        "about_statements",
    )
    fieldsets = (
        (None, {"fields": ("title", "title_es", "slug", "summary", "summary_es")}),
        (
            _("Who said it, and when"),
            {
                "fields": (
                    "speaker_agency",
                    ("speaker_name", "speaker_title"),
                    ("made_on", "made_on_precision"),
                )
            },
        ),
        (_("What was said"), {"fields": ("text",)}),
        (
            _("What it is about"),
            {
                "fields": (
                    "about_jurisdictions",
                    "about_agencies",
                    "about_ordinances",
                    "about_agreements",
                    "about_statements",
                )
            },
        ),
        (_("Publication"), {"fields": ("publication_state", "created_at", "updated_at")}),
    )
