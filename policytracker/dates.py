"""Dates that carry their precision.

Sources often say only "September 2012" or "2019". Such a date is stored as the first day of
the period it names, beside a precision (day, month or year), and shown at that precision;
no day is ever invented. The API writes them as ISO 8601 prefixes: "2012", "2012-09",
"2012-09-14".
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import TruncMonth, TruncYear
from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")

    @property
    def display_format(self):
        """How a date of this precision is written, in the reader's language."""
        if self is DatePrecision.DAY:
            return pgettext("date format at the precision of a day", "F j, Y")
        if self is DatePrecision.MONTH:
            return pgettext("date format at the precision of a month", "F Y")
        return "Y"

    @property
    def iso_length(self):
        return {"day": 10, "month": 7, "year": 4}[self.value]

    def truncate(self, value):
        """The first day of the period of this precision that contains `value`."""
        if self is DatePrecision.YEAR:
            return value.replace(month=1, day=1)
        if self is DatePrecision.MONTH:
            return value.replace(day=1)
        return value


@dataclass(frozen=True)
class PreciseDate:
    value: datetime.date
    precision: DatePrecision

    ISO_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)

    def __post_init__(self):
        # The database gives the precision back as plain text ("month"); a blank one is a day.
        object.__setattr__(self, "precision", DatePrecision(self.precision or DatePrecision.DAY))

    def __str__(self):
        return formats.date_format(self.value, self.precision.display_format)

    def isoformat(self):
        return self.value.isoformat()[: self.precision.iso_length]

    @classmethod
    def parse(cls, text):
        """Read "2012", "2012-09" or "2012-09-14"; raise ValueError on anything else."""
        match = cls.ISO_PATTERN.match(text.strip())
        if not match:
            raise ValueError(text)
        year, month, day = match.groups()
        value = datetime.date(int(year), int(month or 1), int(day or 1))
        if day:
            return cls(value, DatePrecision.DAY)
        return cls(value, DatePrecision.MONTH if month else DatePrecision.YEAR)


class PreciseDateAccessor:
    """`record.adopted` gives a PreciseDate built from `adopted_on` and its precision."""

    def __init__(self, field_name):
        self.field_name = field_name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = getattr(instance, self.field_name)
        if value is None:
            return None
        return PreciseDate(value, getattr(instance, f"{self.field_name}_precision"))


def _precision_name(verbose_name):
    return _("%(name)s precision") % {"name": verbose_name}


# A precision field's name, translated when shown ("signed precision").
precision_name = lazy(_precision_name, str)


def precise_date_fields(verbose_name, help_text=""):
    """The date field and its precision field, to unpack in a model body."""
    return (
        models.DateField(
            verbose_name,
            null=True,
            blank=True,
            help_text=help_text
            or _("Where the source gives only a month or a year, enter its first day."),
        ),
        models.CharField(
            precision_name(verbose_name),
            max_length=5,
            choices=DatePrecision.choices,
            blank=True,
            help_text=_("How much of the date the source gives. Leave blank with no date."),
        ),
    )


def precise_date_constraints(model_name, field_name):
    """Database rules for a precise date: precision with a date only, and no invented day."""
    precision = f"{field_name}_precision"
    return [
        models.CheckConstraint(
            condition=(Q(**{f"{field_name}__isnull": True}) & Q(**{precision: ""}))
            | (
                Q(**{f"{field_name}__isnull": False})
                & Q(**{f"{precision}__in": DatePrecision.values})
            ),
            name=f"{model_name}_{field_name}_precision_with_date",
        ),
        models.CheckConstraint(
            condition=~Q(**{precision: DatePrecision.MONTH}) | Q(**{f"{field_name}__day": 1}),
            name=f"{model_name}_{field_name}_month_starts_on_day_1",
        ),
        models.CheckConstraint(
            condition=~Q(**{precision: DatePrecision.YEAR})
            | (Q(**{f"{field_name}__day": 1}) & Q(**{f"{field_name}__month": 1})),
            name=f"{model_name}_{field_name}_year_starts_on_january_1",
        ),
    ]


def clean_precise_date(instance, field_name, errors):
    """The form-side mirror of precise_date_constraints; fills in what can be inferred."""
    value = getattr(instance, field_name)
    precision_field = f"{field_name}_precision"
    precision = getattr(instance, precision_field)
    if value is None:
        if precision:
            errors[precision_field] = _("Give the date, or leave its precision blank.")
        return
    if not precision:
        setattr(instance, precision_field, DatePrecision.DAY)
        return
    precision = DatePrecision(precision)
    if precision.truncate(value) != value:
        errors[field_name] = _(
            "A date known only to the %(precision)s is entered as the first day of that "
            "%(precision)s (%(first)s)."
        ) % {"precision": precision.label, "first": precision.truncate(value).isoformat()}


def date_order_constraint(model_name, earlier, later):
    """`later` does not come before `earlier`, each read at the precision it has.

    A date known only to the year ("effective 2012") may follow a day in that year
    ("adopted 2012-09-11"): it is compared with the earlier date truncated to its year.
    """
    truncated = {DatePrecision.MONTH: TruncMonth(earlier), DatePrecision.YEAR: TruncYear(earlier)}
    return models.CheckConstraint(
        condition=Q(**{f"{earlier}__isnull": True})
        | Q(**{f"{later}__isnull": True})
        | Q(**{f"{later}__gte": F(earlier)})
        | Q(
            *[
                Q(**{f"{later}_precision": precision, f"{later}__gte": truncation})
                for precision, truncation in truncated.items()
            ],
            _connector=Q.OR,
        ),
        name=f"{model_name}_{later}_not_before_{earlier}",
    )


def check_date_order(instance, earlier, later, errors):
    """The form-side mirror of date_order_constraint: an error on `later` if it is earlier."""
    first, second = getattr(instance, earlier), getattr(instance, later)
    precision = getattr(instance, f"{later}_precision") or DatePrecision.DAY
    if first and second and second < DatePrecision(precision).truncate(first):
        field = instance._meta.get_field
        errors[later] = ValidationError(
            _("%(later)s cannot be before %(earlier)s."),
            params={
                "later": field(later).verbose_name.capitalize(),
                "earlier": field(earlier).verbose_name,
            },
        )
