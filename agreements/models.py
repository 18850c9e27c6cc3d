"""Written arrangements between local and federal agencies, and public positions on them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jurisdictions.models import Agency, Jurisdiction, Ordinance
from policytracker.dates import (
    PreciseDateAccessor,
    check_date_order,
    clean_precise_date,
    date_order_constraint,
    precise_date_constraints,
    precise_date_fields,
)
from policytracker.history import PublicRevision
from policytracker.models import (
    InForceQuerySet,
    PublicRecord,
    PublicRecordQuerySet,
    SpanishText,
)


class AgreementKind(models.TextChoices):
    JAIL_ENFORCEMENT_287G = "287g_jail", _("287(g) jail enforcement model")
    TASK_FORCE_287G = "287g_task_force", _("287(g) task force model")
    WARRANT_SERVICE_287G = "287g_warrant_service", _("287(g) warrant service officer model")
    CUSTOMS_CROSS_DESIGNATION = "customs_cross_designation", _("Customs cross-designation")
    TASK_FORCE = "task_force", _("Task force memorandum")
    DETENTION_CONTRACT = "detention_contract", _("Detention contract")
    INFORMATION_SHARING = "information_sharing", _("Information sharing")
    OTHER = "other", _("Other")

    @classmethod
    def models_287g(cls):
        """The three models of a 287(g) agreement."""
        return [cls.JAIL_ENFORCEMENT_287G, cls.TASK_FORCE_287G, cls.WARRANT_SERVICE_287G]


class AgreementStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    IN_FORCE = "in_force", _("In force")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")
    EXPIRED = "expired", _("Expired")
    UNKNOWN = "unknown", _("Current status not recorded")


class ListingState(models.TextChoices):
    """Whether a published list (ICE's 287(g) sheet) names the agreement."""

    NOT_FROM_A_LIST = "", _("Not from a published list")
    LISTED = "listed", _("Listed")
    NO_LONGER_LISTED = "no_longer_listed", _("No longer listed")


AGREEMENT_DATE_FIELDS = ("signed_on", "effective_on", "expires_on", "terminated_on")


class AgreementQuerySet(InForceQuerySet):
    def for_jurisdiction(self, jurisdiction):
        """Agreements signed by an agency of this place."""
        return self.filter(local_party__jurisdiction=jurisdiction)

    def involving(self, agency):
        return self.filter(Q(local_party=agency) | Q(federal_party=agency))


class Agreement(SpanishText, PublicRecord):
    url_namespace = "agreements"  # its pages' URL names: "agreements:detail"
    verbose_name_with_article = _("an agreement")  # in messages
    IN_FORCE_START = ("effective_on", "signed_on")
    IN_FORCE_END = ("terminated_on", "expires_on")
    IN_FORCE_STATUS = AgreementStatus.IN_FORCE
    ENDED_STATUSES = (
        AgreementStatus.SUSPENDED,
        AgreementStatus.TERMINATED,
        AgreementStatus.EXPIRED,
    )

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=AgreementKind.choices)
    status = models.CharField(
        max_length=10,
        choices=AgreementStatus.choices,
        default=AgreementStatus.UNKNOWN,
        help_text=_("As the sources give it today. The dates below say when."),
    )
    local_party = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,  # an agreement without its parties is meaningless
        related_name="local_agreements",
        help_text=_("The state or local agency that signed."),
    )
    federal_party = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="federal_agreements",
        help_text=_("The federal agency or component on the other side: ICE, HSI, CBP…"),
    )
    signed_on, signed_on_precision = precise_date_fields(_("signed"))
    effective_on, effective_on_precision = precise_date_fields(_("effective"))
    expires_on, expires_on_precision = precise_date_fields(_("expires"))
    terminated_on, terminated_on_precision = precise_date_fields(_("terminated"))
    scope = models.TextField(blank=True, help_text=_("What it lets or asks the parties to do."))
    exclusions = models.TextField(
        blank=True, help_text=_("What it expressly leaves out, such as civil immigration law.")
    )
    full_text = models.TextField(blank=True, help_text=_("The text itself, where available."))
    listing_id = models.CharField(
        _("listing id"),
        max_length=40,
        blank=True,
        help_text=_(
            "An id derived from the agreement's entry in a published list that has none "
            "(ICE's 287(g) sheet: state, agency, model, signed date). Set by the importer."
        ),
    )
    listing_state = models.CharField(
        _("listing"),
        max_length=20,
        choices=ListingState.choices,
        blank=True,
        default=ListingState.NOT_FROM_A_LIST,
        help_text=_("Whether the latest imported list still names it. Never deleted for that."),
    )
    first_listed_on = models.DateField(
        _("first listed"),
        null=True,
        blank=True,
        help_text=_("The date of the first imported list that named it."),
    )
    last_listed_on = models.DateField(
        _("last listed"),
        null=True,
        blank=True,
        help_text=_("The date of the latest imported list that named it."),
    )

    signed = PreciseDateAccessor("signed_on")
    effective = PreciseDateAccessor("effective_on")
    expires = PreciseDateAccessor("expires_on")
    terminated = PreciseDateAccessor("terminated_on")

    objects = AgreementQuerySet.as_manager()
    history = HistoricalRecords(bases=[PublicRevision])

    class Meta:
        ordering = [F("signed_on").desc(nulls_last=True), "title", "pk"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        permissions = [("publish_agreement", _("Can publish and withdraw agreements"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AgreementKind.values), name="agreement_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AgreementStatus.values), name="agreement_status_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="agreement_title_not_empty"),
            models.CheckConstraint(
                condition=~Q(local_party=F("federal_party")), name="agreement_two_parties"
            ),
            models.UniqueConstraint(
                fields=["listing_id"],
                condition=~Q(listing_id=""),
                name="agreement_listing_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(listing_state__in=ListingState.values),
                name="agreement_listing_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(listing_state="")
                | (Q(first_listed_on__isnull=False) & Q(last_listed_on__isnull=False)),
                name="agreement_listed_has_dates",
            ),
            models.CheckConstraint(
                condition=Q(first_listed_on__isnull=True)
                | Q(last_listed_on__isnull=True)
                | Q(last_listed_on__gte=F("first_listed_on")),
                name="agreement_last_listed_not_before_first",
            ),
            date_order_constraint("agreement", "signed_on", "effective_on"),
            date_order_constraint("agreement", "signed_on", "expires_on"),
            date_order_constraint("agreement", "signed_on", "terminated_on"),
            date_order_constraint("agreement", "effective_on", "expires_on"),
            date_order_constraint("agreement", "effective_on", "terminated_on"),
            PublicRecord.publication_constraint("agreement"),
            *[
                constraint
                for field in AGREEMENT_DATE_FIELDS
                for constraint in precise_date_constraints("agreement", field)
            ],
        ]
        indexes = [
            models.Index(fields=["local_party", "status"], name="agreement_local_status"),
            models.Index(fields=["federal_party", "status"], name="agreement_federal_status"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agreements:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        for field in AGREEMENT_DATE_FIELDS:
            clean_precise_date(self, field, errors)
        check_date_order(self, "signed_on", "effective_on", errors)
        check_date_order(self, "signed_on", "expires_on", errors)
        check_date_order(self, "signed_on", "terminated_on", errors)
        check_date_order(self, "effective_on", "expires_on", errors)
        check_date_order(self, "effective_on", "terminated_on", errors)
        if self.local_party_id and self.local_party_id == self.federal_party_id:
            errors["federal_party"] = _("The two parties must be different agencies.")
        if self.listing_state and not (self.first_listed_on and self.last_listed_on):
            errors["listing_state"] = _("A listed agreement has its first and last listed dates.")
        if (
            self.first_listed_on
            and self.last_listed_on
            and self.last_listed_on < self.first_listed_on
        ):
            errors["last_listed_on"] = _("Last listed cannot be before first listed.")
        errors = {**self.publication_errors(), **errors}
        if errors:
            raise ValidationError(errors)


class StatementQuerySet(PublicRecordQuerySet):
    def about_jurisdiction(self, jurisdiction):
        return self.filter(about_jurisdictions=jurisdiction)

    def by_agency(self, agency):
        return self.filter(speaker_agency=agency)


class Statement(SpanishText, PublicRecord):
    url_namespace = "statements"  # its pages' URL names: "statements:detail"
    verbose_name_with_article = _("a statement")  # in messages
    title = models.CharField(
        max_length=300, help_text=_("A neutral description of what was said.")
    )
    speaker_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,  # an attributed quote must keep its speaker
        null=True,
        blank=True,
        related_name="statements",
        help_text=_("The agency or association that spoke, or the official's agency."),
    )
    speaker_name = models.CharField(
        max_length=200, blank=True, help_text=_("The named official who spoke, if any.")
    )
    speaker_title = models.CharField(
        max_length=200, blank=True, help_text=_("The official's title as the source gives it.")
    )
    made_on, made_on_precision = precise_date_fields(
        _("date made"), help_text=_("Leave blank when the source does not date it.")
    )
    text = models.TextField(
        help_text=_(
            "The words said, quoted exactly. Where the source only reports them, its account, "
            "introduced as such."
        )
    )
    about_jurisdictions = models.ManyToManyField(
        Jurisdiction, blank=True, related_name="statements"
    )
    about_agencies = models.ManyToManyField(Agency, blank=True, related_name="statements_about")
    about_ordinances = models.ManyToManyField(Ordinance, blank=True, related_name="statements")
    about_agreements = models.ManyToManyField(Agreement, blank=True, related_name="statements")
    about_statements = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="responses",
        help_text=_("Statements this one answers, affirms or quotes."),
    )

    made = PreciseDateAccessor("made_on")

    objects = StatementQuerySet.as_manager()
    history = HistoricalRecords(
        bases=[PublicRevision],
        m2m_fields=[
            "about_jurisdictions",
            "about_agencies",
            "about_ordinances",
            "about_agreements",
            "about_statements",
        ],
    )

    class Meta:
        ordering = [F("made_on").desc(nulls_last=True), "title", "pk"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        permissions = [("publish_statement", _("Can publish and withdraw statements"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(speaker_agency__isnull=False) | ~Q(speaker_name=""),
                name="statement_has_speaker",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="statement_title_not_empty"),
            models.CheckConstraint(condition=~Q(text=""), name="statement_text_not_empty"),
            PublicRecord.publication_constraint("statement"),
            *precise_date_constraints("statement", "made_on"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("statements:detail", kwargs={"slug": self.slug})

    @property
    def speaker(self):
        """ "Lori Lightfoot, Mayor of Chicago" or the agency's name, for a byline."""
        person = ", ".join(part for part in (self.speaker_name, self.speaker_title) if part)
        if person and self.speaker_agency_id:
            return f"{person} ({self.speaker_agency.name})"
        return person or self.speaker_agency.name

    def clean(self):
        errors = {}
        clean_precise_date(self, "made_on", errors)
        if not self.speaker_agency_id and not self.speaker_name:
            errors["speaker_name"] = _("Name the official who spoke, or choose the agency.")
        errors = {**self.publication_errors(), **errors}
        if errors:
            raise ValidationError(errors)
