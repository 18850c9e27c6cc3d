"""Provisions and reviews in the admin: on their own lists, and inline on the page of the
rule that holds a provision (an ordinance, agreement or statement) or of the place reviewed."""

from django import forms
from django.contrib import admin
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from policytracker.admin import HistoryAdmin
from policytracker.profiles.models import DimensionReview, Provision

# What staff write of a provision, in the order they decide it.
PROVISION_FIELDS = (
    ("jurisdiction", "dimension", "position"),
    "clause",
    ("basis", "reported_by"),
    "binds_places_within",
    ("source", "locator"),
    ("starts_on", "starts_on_precision"),
    ("ends_on", "ends_on_precision"),
    "note",
)
SHORT_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 60})}}


class ProvisionInline(admin.StackedInline):
    """What the rule says on the profile's questions, one provision each, on the rule's page.
    Subclassed once per kind of rule: a provision has a foreign key to each."""

    model = Provision
    extra = 0
    fields = PROVISION_FIELDS
    autocomplete_fields = ("jurisdiction", "source")
    formfield_overrides = SHORT_TEXT
    classes = ["provisions"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("jurisdiction", "source")


class OrdinanceProvisionInline(ProvisionInline):
    fk_name = "ordinance"


class AgreementProvisionInline(ProvisionInline):
    fk_name = "agreement"


class StatementProvisionInline(ProvisionInline):
    fk_name = "statement"


@admin.register(Provision)
class ProvisionAdmin(HistoryAdmin):
    """Every provision, to find and compare them across rules and places."""

    list_display = (
        "instrument",
        "jurisdiction",
        "dimension",
        "position",
        "basis",
        "binds_places_within",
        "source",
    )
    list_filter = ("dimension", "position", "basis", "binds_places_within")
    list_select_related = ("jurisdiction", "source", "ordinance", "agreement", "statement")
    search_fields = (
        "clause",
        "note",
        "reported_by",
        "locator",
        "jurisdiction__name",
        "source__title",
        "ordinance__title",
        "agreement__title",
        "statement__title",
    )
    autocomplete_fields = ("ordinance", "agreement", "statement", "jurisdiction", "source")
    formfield_overrides = SHORT_TEXT
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (
            _("The rule that says it (exactly one)"),
            {"fields": ("ordinance", "agreement", "statement")},
        ),
        (None, {"fields": PROVISION_FIELDS}),
        (_("History"), {"fields": ("created_at", "updated_at")}),
    )

    @admin.display(description=_("rule"))
    def instrument(self, obj):
        return obj.instrument


class ReviewFormSet(BaseInlineFormSet):
    """Reviews saved from a place's page are signed by the staff member who saved them."""

    reviewer = None  # set per request by DimensionReviewInline.get_formset

    def save_new(self, form, commit=True):
        form.instance.reviewed_by = self.reviewer
        return super().save_new(form, commit)

    def save_existing(self, form, obj, commit=True):
        form.instance.reviewed_by = self.reviewer
        return super().save_existing(form, obj, commit)


class DimensionReviewInline(admin.TabularInline):
    """The questions staff have checked the sources for, for this place, and when."""

    model = DimensionReview
    formset = ReviewFormSet
    extra = 0
    fields = ("dimension", "reviewed_on", "note", "reviewed_by")
    readonly_fields = ("reviewed_by",)
    formfield_overrides = SHORT_TEXT
    verbose_name = _("question reviewed")
    verbose_name_plural = _("questions reviewed (the sources checked for them)")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"reviewer": request.user})

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewed_by")


@admin.register(DimensionReview)
class DimensionReviewAdmin(HistoryAdmin):
    """That staff checked the sources for one question for one place, and when: so that a
    profile can tell "no rule, and we have looked" from "not yet reviewed"."""

    list_display = ("jurisdiction", "dimension", "reviewed_on", "reviewed_by")
    list_filter = ("dimension",)
    list_select_related = ("jurisdiction", "reviewed_by")
    search_fields = ("jurisdiction__name", "note")
    date_hierarchy = "reviewed_on"
    autocomplete_fields = ("jurisdiction",)
    formfield_overrides = SHORT_TEXT
    fields = ("jurisdiction", "dimension", "reviewed_on", "note", "reviewed_by")
    readonly_fields = ("reviewed_by",)

    def save_model(self, request, obj, form, change):
        obj.reviewed_by = request.user
        super().save_model(request, obj, form, change)
