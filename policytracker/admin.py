"""The Source inline every record's admin page carries, and the Source admin itself."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.template.defaultfilters import linebreaksbr
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from policytracker.models import SOURCE_TARGETS, PublicationState, Source
from policytracker.services import records_set_publication

# A web address typed without its scheme is taken as https:// (Django 6's default).
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


def document_text_preview(source, length):
    """The start of the text extracted from the document, and how long it is in all."""
    if not source.document:
        return _("No document uploaded.")
    if not source.document_text:
        return _("No text could be extracted (a scanned image, or an empty file).")
    count = len(source.document_text)
    return format_html(
        '<div class="document-text">{}</div><p class="help">{}</p>',
        linebreaksbr(Truncator(source.document_text).chars(length)),
        ngettext("%(count)s character in all.", "%(count)s characters in all.", count)
        % {"count": number_format(count, force_grouping=True)},
    )


class SourceInline(admin.StackedInline):
    """Cite the record on its own page: title, publisher, dates, link and the quoted passage."""

    model = Source
    formfield_overrides = URL_FIELD_OVERRIDES
    extra = 1
    min_num = 0
    classes = ["sources"]
    fields = (
        ("title", "publisher", "kind"),
        ("url", "archive_url"),
        ("published_on", "published_on_precision", "accessed_on"),
        ("document", "document_text_preview"),
        "excerpt",
        "notes",
    )
    readonly_fields = ("document_text_preview",)

    @admin.display(description=_("text of the document"))
    def document_text_preview(self, obj):
        return document_text_preview(obj, 300)


class PublicRecordAdmin(admin.ModelAdmin):
    """What every public record's admin shares: publication, timestamps, sources inline."""

    inlines = [SourceInline]
    formfield_overrides = URL_FIELD_OVERRIDES
    readonly_fields = ("created_at", "updated_at")
    actions = ["publish", "unpublish"]
    save_on_top = True
    list_per_page = 50

    @admin.action(description=_("Publish the selected records"), permissions=["change"])
    def publish(self, request, queryset):
        self.set_publication(request, queryset, PublicationState.PUBLISHED)

    @admin.action(description=_("Return the selected records to draft"), permissions=["change"])
    def unpublish(self, request, queryset):
        self.set_publication(request, queryset, PublicationState.DRAFT)

    def set_publication(self, request, queryset, state):
        changed, refused = records_set_publication(records=queryset, state=state)
        for record in changed:
            self.log_change(request, record, [{"changed": {"fields": ["publication_state"]}}])
        if changed:
            self.message_user(
                request,
                _("%(count)d set to “%(state)s”.") % {"count": len(changed), "state": state.label},
                messages.SUCCESS,
            )
        for record, reasons in refused.items():
            self.message_user(
                request,
                _("“%(record)s” was left as it was: %(reasons)s")
                % {"record": record, "reasons": " ".join(reasons)},
                messages.ERROR,
            )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(source_count=Count("sources"))

    @admin.display(description=_("sources"), ordering="source_count")
    def source_count(self, obj):
        return obj.source_count


class SourceForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        if not any(cleaned_data.get(field) for field in SOURCE_TARGETS):
            raise forms.ValidationError(_("Choose the one record this source cites."))
        return cleaned_data


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceForm
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = ("title", "publisher", "kind", "published_on", "cites")
    list_filter = ("kind", "published_on_precision")
    search_fields = ("title", "publisher", "url", "excerpt")
    date_hierarchy = "published_on"
    autocomplete_fields = ("jurisdiction", "agency", "ordinance", "agreement", "statement")
    list_select_related = ("jurisdiction", "agency", "ordinance", "agreement", "statement")
    readonly_fields = ("document_text_preview", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", "publisher", "kind", "url", "archive_url")}),
        (_("Dates"), {"fields": (("published_on", "published_on_precision"), "accessed_on")}),
        (_("Content"), {"fields": ("document", "document_text_preview", "excerpt", "notes")}),
        (
            _("The record it cites (exactly one)"),
            {"fields": ("jurisdiction", "agency", "ordinance", "agreement", "statement")},
        ),
        (_("History"), {"fields": ("created_at", "updated_at")}),
    )

    @admin.display(description=_("cites"))
    def cites(self, obj):
        return obj.record

    @admin.display(description=_("text of the document"))
    def document_text_preview(self, obj):
        return document_text_preview(obj, 3000)
