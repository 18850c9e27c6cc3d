from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from jurisdictions.models import Agency, Jurisdiction, LiesWithin, Ordinance
from policytracker.admin import PublicRecordAdmin
from policytracker.profiles.admin import DimensionReviewInline, OrdinanceProvisionInline


class LiesWithinInline(admin.TabularInline):
    """The other places a place lies partly within, besides its parent."""

    model = LiesWithin
    fk_name = "place"
    autocomplete_fields = ("within",)
    extra = 0
    verbose_name = _("other place it lies within")
    verbose_name_plural = _("other places it lies within (besides its parent)")


@admin.register(Jurisdiction)
class JurisdictionAdmin(PublicRecordAdmin):
    inlines = [LiesWithinInline, *PublicRecordAdmin.inlines, DimensionReviewInline]
    list_display = (
        "name",
        "kind",
        "parent",
        "ocd_id",
        "fips",
        "publication_state",
        "citation_count",
    )
    list_filter = ("kind", "publication_state")
    list_select_related = ("parent",)
    search_fields = ("name", "slug", "ocd_id", "fips")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "parent", "summary")}),
        (_("Identifiers"), {"fields": ("ocd_id", "fips")}),
        (_("Publication"), {"fields": ("publication_state", "created_at", "updated_at")}),
    )


@admin.register(Agency)
class AgencyAdmin(PublicRecordAdmin):
    list_display = (
        "name",
        "abbreviation",
        "kind",
        "jurisdiction",
        "parent",
        "publication_state",
        "citation_count",
    )
    list_filter = ("kind", "publication_state")
    list_select_related = ("jurisdiction", "parent")
    search_fields = ("name", "abbreviation", "slug", "ori", "jurisdiction__name")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("jurisdiction", "parent")
    fieldsets = (
        (None, {"fields": ("name", "abbreviation", "slug", "kind", "summary", "website")}),
        (_("Where it sits"), {"fields": ("jurisdiction", "parent")}),
        (_("Identifiers"), {"fields": ("ori",)}),
        (_("Publication"), {"fields": ("publication_state", "created_at", "updated_at")}),
    )


@admin.register(Ordinance)
class OrdinanceAdmin(PublicRecordAdmin):
    inlines = [*PublicRecordAdmin.inlines, OrdinanceProvisionInline]
    list_display = (
        "title",
        "kind",
        "status",
        "jurisdiction",
        "adopted_on",
        "publication_state",
        "citation_count",
    )
    list_filter = ("kind", "status", "publication_state", "adopted_on_precision")
    list_select_related = ("jurisdiction",)
    search_fields = ("title", "title_es", "number", "slug", "summary", "jurisdiction__name")
    date_hierarchy = "adopted_on"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("jurisdiction", "issued_by", "amends", "replaces")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    "title_es",
                    "slug",
                    "number",
                    "kind",
                    "status",
                    "summary",
                    "summary_es",
                )
            },
        ),
        (_("Who adopted it"), {"fields": ("jurisdiction", "issued_by")}),
        (
            _("Dates (at the precision the sources give)"),
            {
                "fields": (
                    ("introduced_on", "introduced_on_precision"),
                    ("adopted_on", "adopted_on_precision"),
                    ("effective_on", "effective_on_precision"),
                    ("repealed_on", "repealed_on_precision"),
                )
            },
        ),
        (_("Text and relations"), {"fields": ("full_text", "amends", "replaces")}),
        (_("Publication"), {"fields": ("publication_state", "created_at", "updated_at")}),
    )
