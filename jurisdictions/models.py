"""Places with a government, the bodies that act in them, and the rules they adopt."""

import re

from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jurisdictions.names import MAX_LENGTH as SEARCH_NAME_LENGTH
from jurisdictions.names import fold, name_forms
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


class JurisdictionKind(models.TextChoices):
    NATION = "nation", _("Nation")
    STATE = "state", _("State")
    TERRITORY = "territory", _("Territory")
    COUNTY = "county", _("County")
    CITY = "city", _("City")
    TOWN = "town", _("Town")
    VILLAGE = "village", _("Village")
    BOROUGH = "borough", _("Borough")
    TOWNSHIP = "township", _("Township")
    TRIBAL = "tribal", _("Tribal nation")
    OTHER = "other", _("Other")


# How the place finder ranks a place's match: its whole name, its name's beginning, a part.
EXACT, PREFIX, CONTAINS = 0, 1, 2
# At the same match, broader places first: a state before a county before a city.
KIND_RANK = {
    JurisdictionKind.NATION: 0,
    JurisdictionKind.STATE: 1,
    JurisdictionKind.TERRITORY: 1,
    JurisdictionKind.COUNTY: 2,
    JurisdictionKind.CITY: 3,
    JurisdictionKind.TOWN: 3,
    JurisdictionKind.VILLAGE: 3,
    JurisdictionKind.BOROUGH: 3,
    JurisdictionKind.TOWNSHIP: 4,
}


class JurisdictionQuerySet(PublicRecordQuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Inserts, each place given its folded name first (bulk writes skip `save()`)."""
        objs = list(objs)
        for obj in objs:
            obj.search_name = fold(obj.name)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        """Updates `fields`, and each place's folded name with its name."""
        objs, fields = list(objs), list(fields)
        if "name" in fields:
            for obj in objs:
                obj.search_name = fold(obj.name)
            if "search_name" not in fields:
                fields.append("search_name")
        return super().bulk_update(objs, fields, *args, **kwargs)

    def named_like(self, text):
        """The places whose name matches `text` (a visitor's words), accents, case and
        punctuation aside, best first: the whole name ("Cook County", or "cook" for it, or
        "city of chicago"), then names that begin with it, then names that hold it; at each,
        a state before a county before a city, then by name. Each has `match` (EXACT,
        PREFIX or CONTAINS). Nothing when `text` has no letter or digit."""
        folded = fold(text)
        if not folded:
            return self.none()
        forms = name_forms(folded)
        starts = Q()
        for form in forms:
            starts |= Q(search_name__startswith=form)
        # A name that holds the words, or begins with a form of them that does not.
        found = Q(search_name__contains=folded)
        for form in forms:
            if folded not in form:
                found |= Q(search_name__startswith=form)
        return (
            self.filter(found)
            .annotate(
                match=models.Case(
                    models.When(search_name__in=forms, then=models.Value(EXACT)),
                    models.When(starts, then=models.Value(PREFIX)),
                    default=models.Value(CONTAINS),
                ),
                kind_rank=models.Case(
                    *[
                        models.When(kind=kind, then=models.Value(rank))
                        for kind, rank in KIND_RANK.items()
                    ],
                    default=models.Value(len(KIND_RANK)),
                ),
            )
            .order_by("match", "kind_rank", "search_name", "pk")
        )

    def children_of(self, jurisdiction):
        return self.filter(parent=jurisdiction)

    def within(self, jurisdiction, *, itself=True):
        """The places inside `jurisdiction` at any depth, and (unless `itself` is false) the
        place itself: Illinois, Cook County, Chicago. One indexed lookup in `Containment`."""
        return self.filter(pk__in=places_within(jurisdiction, itself=itself))

    def with_published_records(self):
        """Places that have a published agency or rule of their own."""
        return self.filter(
            Exists(Agency.objects.published().filter(jurisdiction=OuterRef("pk")))
            | Exists(Ordinance.objects.published().filter(jurisdiction=OuterRef("pk")))
        )


def places_within(jurisdiction, *, itself=True):
    """The ids of a place and of every place inside it, as a subquery for `__in=` lookups."""
    containments = Containment.objects.filter(within=jurisdiction)
    if not itself:
        containments = containments.exclude(depth=0)
    return containments.values("place_id")


class Jurisdiction(PublicRecord):
    url_namespace = "jurisdictions"  # its pages' URL names: "jurisdictions:detail"
    verbose_name_with_article = _("a jurisdiction")  # in messages
    name = models.CharField(
        max_length=200, help_text=_('The name people use, without "city of": "Chicago".')
    )
    kind = models.CharField(max_length=10, choices=JurisdictionKind.choices)
    parent = models.ForeignKey(
        "self",
        # A place is reference data that others hang from: delete its children first.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The place it lies within: Chicago's is Cook County. Empty for a nation."),
    )
    also_within = models.ManyToManyField(
        "self",
        through="LiesWithin",
        through_fields=("place", "within"),
        symmetrical=False,
        blank=True,
        related_name="also_containing",
        help_text=_(
            "Other places it lies partly within, besides its parent: Chicago reaches into "
            "DuPage County at O'Hare. Rules that bind there bind it too."
        ),
    )
    ocd_id = models.CharField(
        _("OCD division id"),
        max_length=200,
        blank=True,
        help_text=_("Open Civic Data division id, e.g. ocd-division/country:us/state:il."),
    )
    fips = models.CharField(
        _("FIPS code"),
        max_length=10,
        blank=True,
        help_text=_("Census FIPS / GEOID: 2 digits for a state, 5 for a county, 7 for a place."),
    )
    search_name = models.CharField(
        _("name as the place finder reads it"),
        max_length=SEARCH_NAME_LENGTH,
        blank=True,
        editable=False,
        help_text=_(
            "The name in lower case, without accents or punctuation: written from the name "
            "on every save."
        ),
    )

    objects = JurisdictionQuerySet.as_manager()
    history = HistoricalRecords(bases=[PublicRevision])

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        permissions = [("publish_jurisdiction", _("Can publish and withdraw jurisdictions"))]
        indexes = [
            # Equality and prefix (LIKE 'cook%') lookups of the place finder, on PostgreSQL
            # whatever the database's collation; a plain index elsewhere.
            models.Index(
                fields=["search_name"],
                name="jurisdiction_search_name",
                opclasses=["varchar_pattern_ops"],
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["ocd_id"], condition=~Q(ocd_id=""), name="jurisdiction_ocd_id_unique"
            ),
            models.UniqueConstraint(
                fields=["fips"], condition=~Q(fips=""), name="jurisdiction_fips_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=JurisdictionKind.values), name="jurisdiction_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(ocd_id="") | Q(ocd_id__startswith="ocd-division/country:"),
                name="jurisdiction_ocd_id_format",
            ),
            models.CheckConstraint(
                condition=Q(fips="") | Q(fips__regex=r"^[0-9]{2,10}$"),
                name="jurisdiction_fips_digits",
            ),
            models.CheckConstraint(
                condition=Q(kind=JurisdictionKind.NATION) | Q(parent__isnull=False),
                name="jurisdiction_has_parent_unless_nation",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="jurisdiction_not_own_parent"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="jurisdiction_name_not_empty"),
            PublicRecord.publication_constraint("jurisdiction"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("jurisdictions:detail", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        record = super().from_db(db, field_names, values)
        record._saved_parent_id = record.__dict__.get("parent_id")
        return record

    def save(self, *args, **kwargs):
        """Saves, and rewrites the place's containments (and those of every place inside
        it) when it is new or has moved."""
        moved = self._state.adding or self.parent_id != getattr(self, "_saved_parent_id", None)
        self.search_name = fold(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            if moved:
                Containment.objects.db_manager(self._state.db).rebuild([self.pk])
        self._saved_parent_id = self.parent_id

    def ancestors(self):
        """From the nation down to the parent: one query per level not already selected.

        Stops at a loop (which clean() forbids, but a raw write could make) instead of
        walking it forever.
        """
        chain, seen, node = [], {self.pk}, self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain[::-1]

    def clean(self):
        errors = {}
        if self.kind != JurisdictionKind.NATION and self.parent_id is None:
            errors["parent"] = _("Every place except a nation lies within another.")
        if self.pk and self.parent_id == self.pk:
            errors["parent"] = _("A place cannot lie within itself.")
        elif self.pk and self.parent is not None and self in self.parent.ancestors():
            errors["parent"] = _("That parent lies within this place: the chain would loop.")
        if self.ocd_id and not self.ocd_id.startswith("ocd-division/country:"):
            errors["ocd_id"] = _('An OCD division id starts with "ocd-division/country:".')
        if self.fips and not (self.fips.isdigit() and 2 <= len(self.fips) <= 10):
            errors["fips"] = _("A FIPS code is 2 to 10 digits.")
        errors = {**self.publication_errors(), **errors}
        if errors:
            raise ValidationError(errors)


# Deeper than any real chain (nation, state, county, place, …): a loop a raw write made
# stops here instead of running forever.
MAX_DEPTH = 32


def edges_sql():
    """SQL for every (child, container) pair: each place's parent and the other places it
    lies within."""
    table = Jurisdiction._meta.db_table
    links = LiesWithin._meta.db_table
    return (
        f"SELECT id AS child_id, parent_id AS container_id FROM {table} "
        f"WHERE parent_id IS NOT NULL UNION ALL "
        f"SELECT place_id, within_id FROM {links}"
    )


class ContainmentQuerySet(models.QuerySet):
    def rebuild(self, places=None):
        """Rewrite the rows of `places` (ids or records) and of every place inside them, from
        the parents and the other places each lies within; every row when `places` is None.
        Two statements, whatever the number.

        Every write that changes where a place lies calls this: `Jurisdiction.save()` and the
        `LiesWithin` signals for one place, the importers and the synthetic generator after
        their bulk writes.
        """
        table = Jurisdiction._meta.db_table
        edges = edges_sql()
        if places is None:
            subtree, params = f"SELECT id FROM {table}", []
        else:
            params = list(dict.fromkeys(getattr(place, "pk", place) for place in places))
            if not params:
                return
            if len(params) > REBUILD_ALL_ABOVE:
                return self.rebuild()
            subtree = (
                f"WITH RECURSIVE inside(id) AS (SELECT id FROM {table} WHERE id IN "
                f"({', '.join(['%s'] * len(params))}) UNION SELECT edge.child_id FROM "
                f"({edges}) edge JOIN inside ON edge.container_id = inside.id) "
                f"SELECT id FROM inside"
            )
        containment = self.model._meta.db_table
        with transaction.atomic(using=self.db), connections[self.db].cursor() as cursor:
            cursor.execute(f"DELETE FROM {containment} WHERE place_id IN ({subtree})", params)
            cursor.execute(
                f"WITH RECURSIVE up(place_id, within_id, depth) AS ("
                f"SELECT id, id, 0 FROM {table} WHERE id IN ({subtree}) UNION ALL "
                f"SELECT up.place_id, edge.container_id, up.depth + 1 FROM up "
                f"JOIN ({edges}) edge ON edge.child_id = up.within_id "
                f"WHERE up.depth < {MAX_DEPTH}) "
                f"INSERT INTO {containment} (place_id, within_id, depth) "
                f"SELECT place_id, within_id, MIN(depth) FROM up GROUP BY place_id, within_id",
                params,
            )


class LiesWithin(models.Model):
    """That a place lies (partly) within another besides its parent: Chicago in DuPage
    County. The parent stays the place's primary container, for its address and trail."""

    place = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="+")
    within = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("place it also lies within")
        verbose_name_plural = _("places it also lies within")
        constraints = [
            models.UniqueConstraint(fields=["place", "within"], name="lieswithin_unique"),
            models.CheckConstraint(condition=~Q(place=F("within")), name="lieswithin_not_itself"),
        ]

    def __str__(self):
        return f"{self.place} lies within {self.within}"

    def clean(self):
        if self.place_id and self.within_id:
            if self.place_id == self.within_id:
                raise ValidationError({"within": _("A place cannot lie within itself.")})
            if Containment.objects.filter(
                place_id=self.within_id, within_id=self.place_id
            ).exists():
                raise ValidationError(
                    {"within": _("That place lies within this one: the chain would loop.")}
                )


# Rebuilding this many places' rows or more rewrites the whole table instead (one parameter
# each would pass SQLite's limit, and a whole rewrite is as fast by then).
REBUILD_ALL_ABOVE = 5000


class Containment(models.Model):
    """That a place lies within another, at any depth, and itself at depth 0: the closure of
    `Jurisdiction.parent`, kept so that "in Illinois" is one indexed lookup.

    Derived data, never edited: `Containment.objects.rebuild()` writes it from the parents,
    and `manage.py rebuild_containments` repairs it after a raw write.
    """

    place = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="containments")
    within = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="+")
    depth = models.PositiveSmallIntegerField(
        help_text=_("0 for the place itself, 1 for its parent…")
    )

    objects = ContainmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("containment")
        constraints = [
            models.UniqueConstraint(fields=["within", "place"], name="containment_unique"),
            models.CheckConstraint(
                condition=Q(depth=0, place=F("within")) | Q(depth__gt=0) & ~Q(place=F("within")),
                name="containment_depth_zero_is_itself",
            ),
        ]
        indexes = [models.Index(fields=["place", "depth"], name="containment_place_depth")]

    def __str__(self):
        return f"{self.place_id} within {self.within_id} ({self.depth})"


class AgencyKind(models.TextChoices):
    FEDERAL_DEPARTMENT = "federal_department", _("Federal department")
    FEDERAL_AGENCY = "federal_agency", _("Federal agency or component")
    STATE_AGENCY = "state_agency", _("State agency")
    POLICE = "police", _("Police department")
    SHERIFF = "sheriff", _("Sheriff's office")
    COUNTY_OFFICE = "county_office", _("County office")
    EXECUTIVE_OFFICE = "executive_office", _("Executive office")
    LEGISLATURE = "legislature", _("Legislature or council")
    ASSOCIATION = "association", _("Association")
    OTHER = "other", _("Other")


class AgencyQuerySet(PublicRecordQuerySet):
    def in_jurisdiction(self, jurisdiction):
        return self.filter(jurisdiction=jurisdiction)


class Agency(PublicRecord):
    url_namespace = "agencies"  # its pages' URL names: "agencies:detail"
    verbose_name_with_article = _("an agency")  # in messages
    name = models.CharField(max_length=200, help_text=_("The full official name."))
    abbreviation = models.CharField(
        max_length=30, blank=True, help_text=_("As commonly written: CPD, ICE, HSI.")
    )
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        # Reference data: an agency outlives nothing it belongs to, so refuse the delete.
        on_delete=models.PROTECT,
        related_name="agencies",
        help_text=_("Where it acts. Federal agencies and national associations: United States."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,  # keep the chain of command; reassign components first
        null=True,
        blank=True,
        related_name="components",
        help_text=_("The body it is part of: HSI is part of ICE, which is part of DHS."),
    )
    website = models.URLField(max_length=300, blank=True)
    ori = models.CharField(
        _("ORI"),
        max_length=9,
        blank=True,
        help_text=_(
            "The FBI's originating agency identifier (9 characters, e.g. IL0160000), where "
            "the agency has one. Importers match agencies on it."
        ),
    )

    objects = AgencyQuerySet.as_manager()
    history = HistoricalRecords(bases=[PublicRevision])

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        permissions = [("publish_agency", _("Can publish and withdraw agencies"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AgencyKind.values), name="agency_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="agency_not_own_parent"),
            models.CheckConstraint(condition=~Q(name=""), name="agency_name_not_empty"),
            models.UniqueConstraint(
                fields=["ori"], condition=~Q(ori=""), name="agency_ori_unique"
            ),
            models.CheckConstraint(
                condition=Q(ori="") | Q(ori__regex=r"^[A-Z0-9]{9}$"), name="agency_ori_format"
            ),
            PublicRecord.publication_constraint("agency"),
        ]
        indexes = [models.Index(fields=["jurisdiction", "name"], name="agency_jurisdiction_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("agencies:detail", kwargs={"slug": self.slug})

    @property
    def is_federal(self):
        return self.kind in (AgencyKind.FEDERAL_DEPARTMENT, AgencyKind.FEDERAL_AGENCY)

    @property
    def display_name(self):
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name

    def chain_of_command(self):
        """The bodies it is part of, nearest first; stops at a loop."""
        chain, seen, node = [], {self.pk}, self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def clean(self):
        errors = self.publication_errors()
        if self.ori and not re.fullmatch(r"[A-Z0-9]{9}", self.ori):
            errors["ori"] = _("An ORI is 9 capital letters and digits, e.g. IL0160000.")
        if self.pk and self.parent_id == self.pk:
            errors["parent"] = _("An agency cannot be part of itself.")
        elif self.pk and self.parent is not None and self in self.parent.chain_of_command():
            errors["parent"] = _("That body is part of this one: the chain would loop.")
        if errors:
            raise ValidationError(errors)


class OrdinanceKind(models.TextChoices):
    ORDINANCE = "ordinance", _("Ordinance")
    EXECUTIVE_ORDER = "executive_order", _("Executive order")
    STATUTE = "statute", _("Statute")
    RESOLUTION = "resolution", _("Resolution")
    DIRECTIVE = "directive", _("Directive")
    POLICY = "policy", _("Policy")


class OrdinanceStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    IN_FORCE = "in_force", _("In force")
    SUSPENDED = "suspended", _("Suspended")
    REPEALED = "repealed", _("Repealed")
    EXPIRED = "expired", _("Expired")
    UNKNOWN = "unknown", _("Current status not recorded")


ORDINANCE_DATE_FIELDS = ("introduced_on", "adopted_on", "effective_on", "repealed_on")


class OrdinanceQuerySet(InForceQuerySet):
    def in_jurisdiction(self, jurisdiction):
        return self.filter(jurisdiction=jurisdiction)


class Ordinance(SpanishText, PublicRecord):
    url_namespace = "ordinances"  # its pages' URL names: "ordinances:detail"
    verbose_name_with_article = _("an ordinance")  # in messages
    IN_FORCE_START = ("effective_on", "adopted_on")
    IN_FORCE_END = ("repealed_on",)
    IN_FORCE_STATUS = OrdinanceStatus.IN_FORCE
    ENDED_STATUSES = (OrdinanceStatus.SUSPENDED, OrdinanceStatus.REPEALED, OrdinanceStatus.EXPIRED)

    title = models.CharField(max_length=300)
    number = models.CharField(
        max_length=100, blank=True, help_text=_("Its official number, where it has one.")
    )
    kind = models.CharField(max_length=20, choices=OrdinanceKind.choices)
    status = models.CharField(
        max_length=10,
        choices=OrdinanceStatus.choices,
        default=OrdinanceStatus.UNKNOWN,
        help_text=_("As the sources give it today. The dates below say when."),
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,  # a rule is evidence about its place: never drop it silently
        related_name="ordinances",
        help_text=_("The place whose rule it is."),
    )
    issued_by = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ordinances_issued",
        help_text=_("The body that adopted or issued it, where the sources say."),
    )
    introduced_on, introduced_on_precision = precise_date_fields(_("introduced"))
    adopted_on, adopted_on_precision = precise_date_fields(_("adopted"))
    effective_on, effective_on_precision = precise_date_fields(_("effective"))
    repealed_on, repealed_on_precision = precise_date_fields(_("repealed"))
    full_text = models.TextField(blank=True, help_text=_("The text itself, where available."))
    amends = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="amended_by",
        help_text=_("Earlier rules this one amends."),
    )
    replaces = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        help_text=_("An earlier rule this one replaces."),
    )

    introduced = PreciseDateAccessor("introduced_on")
    adopted = PreciseDateAccessor("adopted_on")
    effective = PreciseDateAccessor("effective_on")
    repealed = PreciseDateAccessor("repealed_on")

    objects = OrdinanceQuerySet.as_manager()
    history = HistoricalRecords(bases=[PublicRevision], m2m_fields=["amends"])

    class Meta:
        ordering = [F("adopted_on").desc(nulls_last=True), "title", "pk"]
        verbose_name = _("ordinance")
        verbose_name_plural = _("ordinances")
        permissions = [("publish_ordinance", _("Can publish and withdraw ordinances"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrdinanceKind.values), name="ordinance_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=OrdinanceStatus.values), name="ordinance_status_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="ordinance_title_not_empty"),
            date_order_constraint("ordinance", "introduced_on", "adopted_on"),
            date_order_constraint("ordinance", "adopted_on", "effective_on"),
            date_order_constraint("ordinance", "adopted_on", "repealed_on"),
            date_order_constraint("ordinance", "effective_on", "repealed_on"),
            models.CheckConstraint(
                condition=~Q(status=OrdinanceStatus.PROPOSED) | Q(repealed_on__isnull=True),
                name="ordinance_proposed_not_repealed",
            ),
            models.CheckConstraint(condition=~Q(replaces=F("pk")), name="ordinance_not_self"),
            PublicRecord.publication_constraint("ordinance"),
            *[
                constraint
                for field in ORDINANCE_DATE_FIELDS
                for constraint in precise_date_constraints("ordinance", field)
            ],
        ]
        indexes = [
            models.Index(fields=["jurisdiction", "status"], name="ordinance_jurisdiction_status")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("ordinances:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        for field in ORDINANCE_DATE_FIELDS:
            clean_precise_date(self, field, errors)
        check_date_order(self, "introduced_on", "adopted_on", errors)
        check_date_order(self, "adopted_on", "effective_on", errors)
        check_date_order(self, "adopted_on", "repealed_on", errors)
        check_date_order(self, "effective_on", "repealed_on", errors)
        if self.status == OrdinanceStatus.PROPOSED and self.repealed_on:
            errors["status"] = _("A proposed rule has no repeal date.")
        if self.pk and self.replaces_id == self.pk:
            errors["replaces"] = _("A rule cannot replace itself.")
        errors = {**self.publication_errors(), **errors}
        if errors:
            raise ValidationError(errors)


@receiver([post_save, post_delete], sender=LiesWithin)
def place_lies_elsewhere(sender, instance, **kwargs):
    """A place that now lies within another, or no longer does: its containments, and those
    of every place inside it, follow."""
    Containment.objects.rebuild([instance.place_id])


@receiver(m2m_changed, sender=LiesWithin)
def places_lie_elsewhere(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse and pk_set is None:  # `within.also_containing.clear()`: which, unknown
        Containment.objects.rebuild()
    elif reverse:  # `within.also_containing.add(...)`: the places are those in pk_set
        Containment.objects.rebuild(pk_set)
    else:
        Containment.objects.rebuild([instance.pk])
