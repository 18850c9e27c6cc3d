"""What every record's admin shares (citations inline, review, history, locking), and the
admins of sources, proposed changes and values to review."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.template.defaultfilters import linebreaksbr
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from policytracker.history import field_changes
from policytracker.models import (
    CITATION_TARGETS,
    Citation,
    ProposedChange,
    PublicationState,
    ReviewFlag,
    Source,
    StaleRecordError,
)
from policytracker.publication import records_publish_with_named
from policytracker.services import (
    change_apply_to,
    change_propose,
    change_publish,
    change_reject,
    records_set_publication,
)

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


class CitationFormSet(BaseInlineFormSet):
    """A record published or withdrawn here must cite a source, and a public record must
    keep at least one."""

    def clean(self):
        super().clean()
        kept = sum(
            1
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and (form.instance.pk or form.has_changed())
        )
        deleting = any(form.cleaned_data.get("DELETE") for form in self.forms if form.cleaned_data)
        stored = type(self.instance)._default_manager.filter(pk=self.instance.pk).first()
        was_public = stored is not None and stored.is_public
        if was_public and not deleting:
            return
        errors = self.instance.source_errors(citations=kept)
        if errors:
            raise ValidationError(list(errors.values()))


class CitationInline(admin.TabularInline):
    """Cite the record on its own page: pick the document (or add it with “+”), then say
    where in it the fact is and quote the passage."""

    model = Citation
    formset = CitationFormSet
    extra = 1
    min_num = 0
    classes = ["citations"]
    fields = ("source", "locator", "excerpt", "note")
    autocomplete_fields = ("source",)
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 40})}
    }

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")


class PublicRecordForm(forms.ModelForm):
    """Every record's admin form: why the change was made, and the version it was begun on.

    A save begun on an older version than the one stored is refused with the form kept, so
    that two staff members editing the same record at once cannot overwrite each other.
    """

    change_reason = forms.CharField(
        label=_("Why this change"),
        required=False,
        max_length=100,
        help_text=_("Optional. Kept in the record's history with your change."),
    )
    edited_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The stored version, not the instance's: a revert starts from an old version's copy.
        if self.instance.pk is not None:
            self.fields["edited_version"].initial = self.stored_version()

    def stored_version(self):
        model = type(self.instance)
        return (
            model._default_manager.filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data
        # A form posted without the version (not from this page) is guarded by the save.
        edited, stored = cleaned_data.get("edited_version"), self.stored_version()
        if edited is not None and edited != stored:
            raise ValidationError(
                _(
                    "Someone else saved this record after you opened it (you began on version "
                    "%(edited)s; it is now at version %(stored)s). Your changes were not saved "
                    "and are still below: open the record again in another tab, see what "
                    "changed, and bring your changes over."
                ),
                code="stale",
                params={"edited": edited, "stored": stored},
            )
        self.instance.version = stored
        return cleaned_data


def open_flags_of(model):
    """An Exists() of the flags still to review on each row of `model`."""
    return Exists(
        ReviewFlag.objects.needing_review().filter(
            content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk")
        )
    )


class NeedsReviewFilter(admin.SimpleListFilter):
    """Records with values an importer could not read and nobody has reviewed yet."""

    title = _("needs review")
    parameter_name = "needs_review"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes: values to review")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(open_flags_of(queryset.model))
        if self.value() == "no":
            return queryset.exclude(open_flags_of(queryset.model))
        return queryset


class HistoryAdmin(SimpleHistoryAdmin):
    """A record's history and revert pages, answering 404 (not 500) for an address whose id
    or version id cannot be one: django-simple-history looks them up unchecked."""

    def history_view(self, request, object_id, extra_context=None):
        self.check_key(self.model, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.check_key(self.model, unquote(object_id))
        self.check_key(self.model.history.model, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    @staticmethod
    def check_key(model, value):
        """Http404 unless `value` can be a key of `model`: its type, and in the column's range."""
        key = model._meta.pk
        try:
            key.run_validators(key.to_python(value))
        except ValidationError as error:
            raise Http404(_("No such record.")) from error


class PublicRecordAdmin(HistoryAdmin):
    """What every public record's admin shares: publication and its review, history with
    compare and revert, locking against concurrent edits, timestamps, sources inline."""

    form = PublicRecordForm
    inlines = [CitationInline]
    formfield_overrides = URL_FIELD_OVERRIDES
    readonly_fields = ("created_at", "updated_at", "version")
    actions = ["submit_for_review", "publish", "publish_with_named", "withdraw", "unpublish"]
    save_on_top = True
    list_per_page = 50
    object_history_template = "admin/record_history.html"

    def has_publish_permission(self, request, obj=None):
        return request.user.has_perm(self.model.publish_permission())

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        review = []
        if obj is not None and obj.review_flags.needing_review().exists():
            review = [(_("Needs review"), {"fields": ("values_to_review",)})]
        return [
            *review,
            *fieldsets,
            (_("This change"), {"fields": ("change_reason", "edited_version")}),
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = (*super().get_readonly_fields(request, obj), "values_to_review")
        if obj is not None and obj.is_public and not self.has_publish_permission(request):
            return (*readonly, "publication_state")
        return readonly

    def get_list_filter(self, request):
        return (*super().get_list_filter(request), NeedsReviewFilter)

    @admin.display(description=_("values to review"))
    def values_to_review(self, obj):
        """What an importer could not read: each field, its text as written, and why."""
        flags = obj.review_flags.needing_review().select_related("content_type")
        return format_html(
            '<table class="values-to-review"><thead><tr><th>{}</th><th>{}</th><th>{}</th>'
            '<th>{}</th></tr></thead><tbody>{}</tbody></table><p class="help">{}</p>',
            _("field (not recorded)"),
            _("as written"),
            _("why"),
            _("from"),
            format_html_join(
                "",
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                (
                    (flag.field_label, flag.raw_value or "—", flag.reason, flag.found_in)
                    for flag in flags
                ),
            ),
            _(
                "Enter the value if the sources give it, then mark these reviewed under "
                "“Values to review”."
            ),
        )

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "publication_state" and not self.has_publish_permission(request):
            kwargs["choices"] = [
                (state.value, state.label)
                for state in (PublicationState.DRAFT, PublicationState.IN_REVIEW)
            ]
            kwargs["help_text"] = _(
                "Submit it for review when it is ready: a Reviewer publishes it."
            )
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def proposes_changes(self, request, obj):
        """An Editor's edit of a public record waits for review instead of showing at once."""
        return obj.pk is not None and obj.is_public and not self.has_publish_permission(request)

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("change_reason", "")
        if change and self.proposes_changes(request, obj):
            changes = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name in form.cleaned_data and name not in ("change_reason", "edited_version")
            }
            request.proposed_change = (
                change_propose(record=obj, changes=changes, user=request.user, reason=reason)
                if changes
                else None
            )
            return
        if reason:
            obj._change_reason = reason
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if hasattr(request, "proposed_change"):
            # The record's own fields wait for review; its citations are saved as they come.
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)
            return
        super().save_related(request, form, formsets, change)

    def response_change(self, request, obj):
        if hasattr(request, "proposed_change"):
            change = request.proposed_change
            if change is None:
                self.message_user(request, _("Nothing in the record itself changed."))
            else:
                self.message_user(
                    request,
                    _(
                        "Your change to “%(record)s” waits for a Reviewer; until it is "
                        "published the public sees the record as it was."
                    )
                    % {"record": obj},
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(
                reverse(
                    f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]
                )
            )
        return super().response_change(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleRecordError:
            # Two saves in the same instant: the form's check passed for both.
            self.message_user(
                request,
                _("Someone else saved this record at the same moment; yours was not saved."),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())

    # How many of a record's citation changes its history page lists, newest first.
    CITATION_HISTORY_LIMIT = 100

    def history_view(self, request, object_id, extra_context=None):
        """The record's own revisions, then its citations' (added, changed, removed)."""
        self.check_key(self.model, unquote(object_id))
        field = Citation.target_field_for(self.model())
        changes = (
            Citation.history.filter(**{f"{field}_id": unquote(object_id)})
            .select_related("source", "history_user")
            .order_by("-history_date", "-history_id")
        )
        extra_context = {
            **(extra_context or {}),
            "citation_changes": changes[: self.CITATION_HISTORY_LIMIT],
            "citation_change_count": changes.count(),
        }
        return super().history_view(request, object_id, extra_context)

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.history_compare_view),
                name="{}_{}_history_compare".format(*info),
            ),
            *super().get_urls(),
        ]

    def history_compare_view(self, request, object_id):
        """Two versions of a record side by side, field by field."""
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404
        history = obj.history.all()
        try:
            old = history.get(history_id=request.GET.get("old"))
            new = history.get(history_id=request.GET.get("new"))
        except (history.model.DoesNotExist, ValueError, TypeError) as error:
            raise Http404(_("Choose two versions of this record.")) from error
        if old.history_date > new.history_date:
            old, new = new, old
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "object": obj,
            "old": old,
            "new": new,
            "changes": field_changes(old, new),
            "title": _("Compare versions: %s") % obj,
        }
        return TemplateResponse(request, "admin/history_compare.html", context)

    @admin.action(description=_("Submit the selected records for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self.set_publication(request, queryset, PublicationState.IN_REVIEW)

    @admin.action(description=_("Publish the selected records"), permissions=["publish"])
    def publish(self, request, queryset):
        self.set_publication(request, queryset, PublicationState.PUBLISHED)

    @admin.action(
        description=_("Publish the selected records with the drafts they name, in bulk"),
        permissions=["publish"],
    )
    def publish_with_named(self, request, queryset):
        """An import as a whole: the agreements with their agencies and places, in a few
        statements per thousand records rather than a save each."""
        ids = set(queryset.order_by().values_list("pk", flat=True))
        try:
            published = records_publish_with_named({self.model: ids}, user=request.user)
        except (PermissionDenied, ValidationError) as error:
            reasons = getattr(error, "messages", None) or [str(error)]
            self.message_user(request, " ".join(reasons), messages.ERROR)
            return
        if not published:
            self.message_user(request, _("They were all public already."), messages.INFO)
            return
        self.message_user(
            request,
            _("Published: %(counts)s.")
            % {"counts": ", ".join(f"{count} {name}" for name, count in published.items())},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Withdraw the selected records (their pages stay, with a notice)"),
        permissions=["publish"],
    )
    def withdraw(self, request, queryset):
        self.set_publication(request, queryset, PublicationState.WITHDRAWN)

    @admin.action(description=_("Return the selected records to draft"), permissions=["change"])
    def unpublish(self, request, queryset):
        self.set_publication(request, queryset, PublicationState.DRAFT)

    def set_publication(self, request, queryset, state):
        changed, refused = records_set_publication(
            records=queryset, state=state, user=request.user
        )
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
        # Counting groups the rows, and a grouped query drops the model's default ordering:
        # it is restored so that the autocomplete's pages come in a stable order.
        return (
            super()
            .get_queryset(request)
            .annotate(citation_count=Count("citations"))
            .order_by(*self.model._meta.ordering)
        )

    @admin.display(description=_("citations"), ordering="citation_count")
    def citation_count(self, obj):
        return obj.citation_count


class CitationForm(forms.ModelForm):
    """A citation links exactly one record, and a public record keeps at least one."""

    def clean(self):
        cleaned_data = super().clean()
        cited = [field for field in CITATION_TARGETS if cleaned_data.get(field)]
        if not cited:
            raise forms.ValidationError(_("Choose the one record that cites this source."))
        before = getattr(self.instance, "_cited_when_read", None)
        now = (cited[0], cleaned_data[cited[0]].pk)
        if before is not None and before != now:
            left = Citation.objects.filter(pk=self.instance.pk).records_left_uncited()
            if left:
                raise forms.ValidationError(
                    _(
                        "“%(record)s” is public and this is its only citation: cite another "
                        "source from it before moving this one."
                    )
                    % {"record": left[0]}
                )
        return cleaned_data


@admin.register(Citation)
class CitationAdmin(HistoryAdmin):
    """Every citation, to find the records that cite a document (a source's page links here,
    filtered to it) and correct where or what they quote."""

    list_display = ("source", "cited_record", "locator", "short_excerpt")
    list_select_related = ("source", *CITATION_TARGETS)
    list_filter = ("source__kind",)
    search_fields = ("source__title", "locator", "excerpt", "note")
    autocomplete_fields = ("source", *CITATION_TARGETS)
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("source", "locator", "excerpt", "note")}),
        (_("The record that cites it (exactly one)"), {"fields": CITATION_TARGETS}),
        (_("History"), {"fields": ("created_at", "updated_at")}),
    )

    @admin.display(description=_("cited by"))
    def cited_record(self, obj):
        return obj.record

    @admin.display(description=_("excerpt"))
    def short_excerpt(self, obj):
        return Truncator(obj.excerpt).chars(80)

    form = CitationForm

    def delete_view(self, request, object_id, extra_context=None):
        citation = self.get_object(request, unquote(object_id))
        if citation is not None and request.method == "POST":
            refused = self.refuse_uncited(request, Citation.objects.filter(pk=citation.pk))
            if refused:
                return HttpResponseRedirect(request.path)
        return super().delete_view(request, object_id, extra_context)

    def delete_queryset(self, request, queryset):
        if not self.refuse_uncited(request, queryset):
            super().delete_queryset(request, queryset)

    def refuse_uncited(self, request, citations):
        """Say so, and return True, if deleting `citations` would leave a public record
        citing nothing."""
        records = citations.records_left_uncited()
        if records:
            self.message_user(
                request,
                _(
                    "Nothing was deleted: a public record keeps at least one citation. Cite "
                    "another source first, or return it to draft: %(names)s."
                )
                % {"names": "; ".join(str(record) for record in records)},
                messages.ERROR,
            )
        return bool(records)


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    """One document, however many records cite it."""

    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = ("title", "publisher", "kind", "published_on", "citation_count")
    list_filter = ("kind", "published_on_precision")
    search_fields = ("title", "publisher", "url")
    date_hierarchy = "published_on"
    readonly_fields = ("document_text_preview", "cited_by", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", "publisher", "kind", "url", "archive_url")}),
        (_("Dates"), {"fields": (("published_on", "published_on_precision"), "accessed_on")}),
        (_("Content"), {"fields": ("document", "document_text_preview", "notes")}),
        (_("Cited by"), {"fields": ("cited_by",)}),
        (_("History"), {"fields": ("created_at", "updated_at")}),
    )

    @admin.display(description=_("records that cite it"))
    def cited_by(self, obj):
        if obj.pk is None:
            return _("Save the source, then cite it from each record's page.")
        count = obj.citations.count()
        return format_html(
            '<a href="{}?source__id__exact={}">{}</a>',
            reverse("admin:policytracker_citation_changelist"),
            obj.pk,
            ngettext("%(count)s citation", "%(count)s citations", count)
            % {"count": number_format(count, force_grouping=True)},
        )

    def get_queryset(self, request):
        # As for records: counting drops the default ordering, which the autocomplete needs.
        return super().get_queryset(request).with_citation_count().order_by(*Source._meta.ordering)

    @admin.display(description=_("cited by"), ordering="citation_count")
    def citation_count(self, obj):
        return obj.citation_count

    @admin.display(description=_("text of the document"))
    def document_text_preview(self, obj):
        return document_text_preview(obj, 3000)


@admin.register(ProposedChange)
class ProposedChangeAdmin(admin.ModelAdmin):
    """Editors' changes to public records, waiting for a Reviewer to publish or reject them."""

    list_display = ("record", "content_type", "state", "proposed_by", "proposed_at", "decided_by")
    list_filter = ("state", "content_type")
    list_select_related = ("content_type", "proposed_by", "decided_by")
    search_fields = ("reason", "proposed_by__username")
    readonly_fields = (
        "record_link",
        "change_table",
        "reason",
        "state",
        "proposed_by",
        "proposed_at",
        "decided_by",
        "decided_at",
    )
    fields = readonly_fields
    actions = ["publish_changes", "reject_changes"]

    def has_add_permission(self, request):
        return False  # changes are proposed by editing the record itself

    def has_delete_permission(self, request, obj=None):
        return False  # a decision is kept, like every other change

    def has_publish_permission(self, request):
        return request.user.has_perm("policytracker.change_proposedchange")

    @admin.display(description=_("record"))
    def record_link(self, change):
        record = change.record
        if record is None:
            return _("(deleted)")
        url = reverse(
            f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk]
        )
        return format_html('<a href="{}">{}</a>', url, record)

    @admin.display(description=_("proposed changes"))
    def change_table(self, change):
        record = change.record
        if record is None:
            return ""
        proposed = type(record)._default_manager.get(pk=record.pk)
        change_apply_to(proposed, change)
        rows = []
        for name, value in change.changes.items():
            field = record._meta.get_field(name)
            if field.many_to_many:
                related = field.related_model._default_manager
                before = ", ".join(str(obj) for obj in getattr(record, name).all())
                after = ", ".join(str(obj) for obj in related.filter(pk__in=value))
            else:
                before, after = (
                    display_value(record, field),
                    display_value(proposed, field),
                )
            rows.append((field.verbose_name, before, after))
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody>"
            "</table>",
            _("field"),
            _("published"),
            _("proposed"),
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    @admin.action(description=_("Publish the selected changes"), permissions=["publish"])
    def publish_changes(self, request, queryset):
        self.decide(request, queryset, change_publish, _("published"))

    @admin.action(description=_("Reject the selected changes"), permissions=["publish"])
    def reject_changes(self, request, queryset):
        self.decide(request, queryset, change_reject, _("rejected"))

    def decide(self, request, queryset, decision, verb):
        for change in queryset.select_related("content_type"):
            try:
                decision(change=change, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                reasons = getattr(error, "messages", None) or [str(error)]
                self.message_user(
                    request,
                    _("“%(change)s” was left as it was: %(reasons)s")
                    % {"change": change, "reasons": " ".join(reasons)},
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request, _("“%(change)s”: %(verb)s.") % {"change": change, "verb": verb}
                )


def display_value(record, field):
    if field.choices:
        return getattr(record, f"get_{field.name}_display")()
    value = getattr(record, field.name)
    return "—" if value in (None, "") else value


class FlagNeedsReviewFilter(admin.SimpleListFilter):
    title = _("needs review")
    parameter_name = "needs_review"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No: reviewed"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.needing_review()
        if self.value() == "no":
            return queryset.filter(reviewed_at__isnull=False)
        return queryset


@admin.register(ReviewFlag)
class ReviewFlagAdmin(admin.ModelAdmin):
    """Values importers could not read, on the records that kept their rows without them."""

    list_display = ("record_link", "content_type", "field", "raw_value", "reason", "found_in")
    list_filter = (FlagNeedsReviewFilter, "content_type", "field")
    list_select_related = ("content_type", "reviewed_by")
    search_fields = ("raw_value", "reason", "found_in")
    readonly_fields = (
        "record_link",
        "field",
        "raw_value",
        "reason",
        "found_in",
        "created_at",
        "reviewed_at",
        "reviewed_by",
    )
    fields = readonly_fields
    actions = ["mark_reviewed"]

    def has_add_permission(self, request):
        return False  # importers flag what they could not read

    @admin.display(description=_("record"))
    def record_link(self, flag):
        model = flag.content_type.model_class()
        url = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
            args=[flag.object_id],
        )
        return format_html('<a href="{}">{} {}</a>', url, model._meta.verbose_name, flag.object_id)

    @admin.action(description=_("Mark the selected values reviewed"), permissions=["change"])
    def mark_reviewed(self, request, queryset):
        count = queryset.needing_review().update(
            reviewed_at=timezone.now(), reviewed_by=request.user
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d value marked reviewed.", "%(count)d values marked reviewed.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )


def history_below_change_page(request, app_label, model_name, object_id):
    """`<id>/change/history/`, the History button's address taken relative to the change
    page, is the record's history page: without this route the admin reads "<id>/change" as
    the record's id. Any registered model; any other answers 404."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    if not admin.site.is_registered(model):
        raise Http404
    opts = model._meta
    return HttpResponseRedirect(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[object_id])
    )


# The admin login's failed attempts (django-axes, see AXES_* in settings): staff see who is
# locked out, and deleting an attempt lifts its lockout.
admin.site.register(AccessAttempt, AccessAttemptAdmin)
