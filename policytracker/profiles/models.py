"""What each rule says on each question of the profile (its provisions), and which questions
staff have reviewed for a place, and when."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from policytracker.dates import (
    PreciseDateAccessor,
    check_date_order,
    clean_precise_date,
    date_order_constraint,
    precise_date_constraints,
    precise_date_fields,
)
from policytracker.profiles.dimensions import Basis, Dimension, Position

# The records a provision can belong to: one foreign key each, exactly one of them set.
INSTRUMENTS = ("ordinance", "agreement", "statement")


class ProvisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Provisions of instruments `user` may see: published ones, for the public."""
        from agreements.models import Agreement, Statement
        from jurisdictions.models import Ordinance

        return self.filter(
            Q(ordinance__in=Ordinance.objects.visible_to(user).values("pk"))
            | Q(agreement__in=Agreement.objects.visible_to(user).values("pk"))
            | Q(statement__in=Statement.objects.visible_to(user).values("pk"))
        )

    def in_force(self, on):
        """Provisions in force on the date `on`: their instrument was (an ordinance or an
        agreement by its own interval; a statement from the day it was made), and the
        provision's own dates, where given, include the day.

        A statement the sources do not date counts from today on, never in the past: it has
        been made by now, but not since when is known (as an ordinance in force whose start
        the sources do not give)."""
        from agreements.models import Agreement
        from jurisdictions.models import Ordinance

        made = Q(statement__made_on__lte=on)
        if on >= timezone.localdate():
            made |= Q(statement__isnull=False, statement__made_on__isnull=True)
        instrument = (
            Q(ordinance__in=Ordinance.objects.in_force(on).values("pk"))
            | Q(agreement__in=Agreement.objects.in_force(on).values("pk"))
            | made
        )
        own = (Q(starts_on__isnull=True) | Q(starts_on__lte=on)) & (
            Q(ends_on__isnull=True) | Q(ends_on__gt=on)
        )
        return self.filter(instrument & own)

    def of_places(self, places):
        return self.filter(jurisdiction__in=places)


class Provision(models.Model):
    """One thing a rule says on one question: Chicago's Welcoming City Ordinance prohibits
    asking about immigration status. With the clause quoted, the source that supports it,
    whether it binds the places within its own, and whether it is the written rule or a
    practice someone reported (a statement that a county ignored detainers)."""

    ordinance = models.ForeignKey(
        "jurisdictions.Ordinance",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="provisions",
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="provisions",
    )
    statement = models.ForeignKey(
        "agreements.Statement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="provisions",
    )
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        on_delete=models.PROTECT,
        related_name="provisions",
        help_text=_(
            "The place it applies to: the rule's own place (an agreement: its local party's). "
            "For a statement, the place it describes."
        ),
    )
    dimension = models.CharField(_("question"), max_length=24, choices=Dimension.choices)
    position = models.CharField(max_length=12, choices=Position.choices)
    clause = models.TextField(
        _("the clause"),
        blank=True,
        help_text=_("Quoted as the rule words it. Required for a written policy."),
    )
    binds_places_within = models.BooleanField(
        _("binds the places within"),
        default=False,
        help_text=_(
            "A state law binds its counties and cities; a city's order does not bind its "
            "county, nor a county board's resolution the cities inside it."
        ),
    )
    basis = models.CharField(max_length=8, choices=Basis.choices, default=Basis.WRITTEN)
    reported_by = models.CharField(
        _("reported by"),
        max_length=300,
        blank=True,
        help_text=_("Who says this is the practice (a practice is shown as theirs). Required."),
    )
    source = models.ForeignKey(
        "policytracker.Source",
        on_delete=models.PROTECT,
        related_name="provisions",
        help_text=_("The document that supports it."),
    )
    locator = models.CharField(
        _("where in it"), max_length=200, blank=True, help_text=_("A section, page or row.")
    )
    starts_on, starts_on_precision = precise_date_fields(
        _("in force from"),
        _("Only if it came into force apart from its rule (an amendment added it)."),
    )
    ends_on, ends_on_precision = precise_date_fields(
        _("in force until"), _("Only if it ended apart from its rule (an amendment removed it).")
    )
    note = models.TextField(blank=True, help_text=_("Shown with it on the profile."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    starts = PreciseDateAccessor("starts_on")
    ends = PreciseDateAccessor("ends_on")

    objects = ProvisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["dimension", "pk"]
        verbose_name = _("provision")
        verbose_name_plural = _("provisions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(ordinance__isnull=False, agreement__isnull=True, statement__isnull=True)
                    | Q(ordinance__isnull=True, agreement__isnull=False, statement__isnull=True)
                    | Q(ordinance__isnull=True, agreement__isnull=True, statement__isnull=False)
                ),
                name="provision_in_exactly_one_instrument",
            ),
            models.CheckConstraint(
                condition=Q(dimension__in=Dimension.values), name="provision_dimension_valid"
            ),
            models.CheckConstraint(
                condition=Q(position__in=Position.values), name="provision_position_valid"
            ),
            models.CheckConstraint(
                condition=Q(basis__in=Basis.values), name="provision_basis_valid"
            ),
            models.CheckConstraint(
                condition=~Q(basis=Basis.PRACTICE) | ~Q(reported_by=""),
                name="provision_practice_is_attributed",
            ),
            models.CheckConstraint(
                condition=~Q(basis=Basis.WRITTEN) | ~Q(clause=""),
                name="provision_written_is_quoted",
            ),
            date_order_constraint("provision", "starts_on", "ends_on"),
            *precise_date_constraints("provision", "starts_on"),
            *precise_date_constraints("provision", "ends_on"),
        ]
        indexes = [
            models.Index(fields=["jurisdiction", "dimension"], name="provision_place_dimension")
        ]

    def __str__(self):
        return f"{self.instrument}: {self.get_position_display()} — {self.get_dimension_display()}"

    @property
    def instrument_field(self):
        return next((name for name in INSTRUMENTS if getattr(self, f"{name}_id")), None)

    @property
    def instrument(self):
        field = self.instrument_field
        return getattr(self, field) if field else None

    @property
    def is_practice(self):
        return self.basis == Basis.PRACTICE

    def in_force_from(self):
        """Its start as a precise date: its own, else its instrument's (effective, adopted,
        signed or made), at the precision the sources give."""
        if self.starts_on:
            return self.starts
        instrument = self.instrument
        for name in ("effective", "adopted", "signed", "made"):
            value = getattr(instrument, name, None)
            if value is not None:
                return value
        return None

    def clean(self):
        errors = {}
        # An instrument being added on the same page (the admin's inline) is not saved yet:
        # it is set, without an id.
        instruments = [
            name
            for name in INSTRUMENTS
            if getattr(self, f"{name}_id") is not None or getattr(self, name) is not None
        ]
        if len(instruments) != 1:
            errors["__all__"] = _(
                "A provision belongs to exactly one ordinance, agreement or statement."
            )
        if self.basis == Basis.PRACTICE and not self.reported_by.strip():
            errors["reported_by"] = _("A reported practice says who reported it.")
        if self.basis == Basis.WRITTEN and not self.clause.strip():
            errors["clause"] = _("A written policy quotes the clause that says it.")
        for field in ("starts_on", "ends_on"):
            clean_precise_date(self, field, errors)
        check_date_order(self, "starts_on", "ends_on", errors)
        if errors:
            raise ValidationError(errors)


class DimensionReview(models.Model):
    """That staff have reviewed one question for one place, on a date: so that the profile
    can tell "no recorded rule, and we have looked" from "not yet reviewed". Its note, if
    any, is shown in the profile's cell beside the computed answer (never instead of it)."""

    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction", on_delete=models.CASCADE, related_name="dimension_reviews"
    )
    dimension = models.CharField(_("question"), max_length=24, choices=Dimension.choices)
    reviewed_on = models.DateField(
        _("last checked"), help_text=_("When the sources for this question were last checked.")
    )
    note = models.TextField(
        blank=True, help_text=_("Shown in the profile's cell, beside what the rules say.")
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["jurisdiction", "dimension"]
        verbose_name = _("dimension review")
        verbose_name_plural = _("dimension reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "dimension"], name="dimensionreview_once_per_place"
            ),
            models.CheckConstraint(
                condition=Q(dimension__in=Dimension.values), name="dimensionreview_dimension_valid"
            ),
        ]

    def __str__(self):
        return f"{self.jurisdiction}: {self.get_dimension_display()} ({self.reviewed_on})"
