"""A place's timeline: the dated events of its own records and of those it inherits, and the
geometry of the chart that draws them.

Whose records
-------------
A place's own records are its ordinances, the agreements its agencies signed (the local party
is one of its agencies) and the statements about it (`about_jurisdictions` names it).

It inherits the records of the places it lies within (its county, state and nation, and any
other place it lies partly within: `Containment`): an ordinance of one of them, an agreement
one of its agencies signed, or a statement about one, when

- at least one of the record's provisions binds the places within (`binds_places_within`), or
- it is a statute of a state, territory or nation (a statute binds the whole of its place).

Nothing else a place above adopts is on the timeline: a county board's resolution binds no
city. Each event says whose it is: the place itself, or the place it is inherited from (for a
statement about several of them, the nearest).

The events
----------
- An ordinance: adopted, took effect, amended (the adoption of each ordinance that amends it,
  or its taking effect where its adoption is not recorded), repealed.
- An agreement: signed, took effect, terminated, expired (due to expire while the day is to
  come; no expiry after a termination that came first).
- A statement: made.

A record with none of these dates is listed apart, undated. A date known only to its month or
year is drawn over that whole month or year, and said as the source gives it ("September
2012"); no day is invented.

The in-force bar follows `InForceQuerySet.in_force()`: from the record's start (effective,
else adopted or signed) to its end (repealed, terminated, else expires), drawn only where the
status says the record came into force (in force, or ended since) and the start is known.
With no end date it runs to today if the record is in force, and is not drawn if it has ended
(when is unknown).

Queries: the place's containments, its ordinances with their amendments (two), agreements
and statements: five, whatever the number of records or the depth of the nesting.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Statement
from jurisdictions.models import (
    Containment,
    Jurisdiction,
    JurisdictionKind,
    Ordinance,
    OrdinanceKind,
)
from policytracker.dates import DatePrecision, PreciseDate
from policytracker.profiles.models import Provision

# Places whose statutes bind every place inside them, provisions or not.
STATUTE_LEVELS = (JurisdictionKind.NATION, JurisdictionKind.STATE, JurisdictionKind.TERRITORY)


class EventKind(models.TextChoices):
    """What happened to a record on a date. Events of one date are listed in this order."""

    ADOPTED = "adopted", _("Adopted")
    SIGNED = "signed", _("Signed")
    MADE = "made", _("Statement made")
    EFFECTIVE = "effective", _("Took effect")
    AMENDED = "amended", _("Amended")
    REPEALED = "repealed", _("Repealed")
    TERMINATED = "terminated", _("Terminated")
    EXPIRED = "expired", _("Expired")
    EXPIRES = "expires", _("Due to expire")


EVENT_ORDER = {kind: rank for rank, kind in enumerate(EventKind)}


def period(date):
    """The days a precise date may be, as ordinals [first, after): the day itself, its
    month or its year."""
    first = date.value
    if date.precision == DatePrecision.YEAR:
        last = datetime.date(first.year, 12, 31)
    elif date.precision == DatePrecision.MONTH:
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    else:
        last = first
    return first.toordinal(), last.toordinal() + 1


def precise(record, field_name):
    """The record's date in `field_name` with its precision, or None."""
    value = getattr(record, field_name)
    if value is None:
        return None
    return PreciseDate(value, getattr(record, f"{field_name}_precision"))


def record_kind(record):
    """What the record is: "Statute", "Customs cross-designation", "Statement"."""
    if isinstance(record, Statement):
        return record._meta.verbose_name.capitalize()
    return record.get_kind_display()


@dataclass(frozen=True)
class Event:
    """One dated thing that happened to a record, and whose record it is."""

    date: PreciseDate
    kind: EventKind
    record: models.Model
    place: Jurisdiction  # whose: the place itself, or the one it is inherited from
    own: bool
    label: str  # "Adopted", "Amended by …": as the chart's tooltip and the list say it
    by: Ordinance | None = None  # the ordinance that amends it, for an "amended" event

    @property
    def period(self):
        return period(self.date)

    @property
    def record_kind(self):
        return record_kind(self.record)

    @property
    def sort_key(self):
        return (self.date.value, EVENT_ORDER[self.kind], str(self.record), self.record.pk)


@dataclass(frozen=True)
class InForce:
    """When a record was in force: from `start`, until `end` (None: in force today)."""

    start: PreciseDate
    end: PreciseDate | None


@dataclass
class Entry:
    """One record on the timeline, with its events."""

    record: models.Model
    place: Jurisdiction
    own: bool
    events: list = field(default_factory=list)
    in_force: InForce | None = None

    @property
    def record_kind(self):
        return record_kind(self.record)

    @property
    def sort_key(self):
        starts = [event.date.value for event in self.events]
        if self.in_force:
            starts.append(self.in_force.start.value)
        return (min(starts, default=datetime.date.max), str(self.record), self.record.pk)


@dataclass
class Timeline:
    """A place's entries (records with their events), dated and undated."""

    place: Jurisdiction
    # The places it lies within that the user may see, nearest first.
    containers: list
    # Its parent, the parent's parent… up to the nation, for the breadcrumb, nation first.
    trail: list
    entries: list
    undated: list

    @property
    def events(self):
        return sorted(
            (event for entry in self.entries for event in entry.events),
            key=lambda event: event.sort_key,
        )

    @property
    def own_count(self):
        return sum(len(entry.events) for entry in self.entries if entry.own)

    @property
    def inherited_count(self):
        return sum(len(entry.events) for entry in self.entries if not entry.own)


def in_force_interval(record):
    """The record's in-force interval as `InForceQuerySet.in_force()` reads it, or None."""
    model = type(record)
    if record.status not in (model.IN_FORCE_STATUS, *model.ENDED_STATUSES):
        return None
    start = next(filter(None, (precise(record, name) for name in model.IN_FORCE_START)), None)
    end = next(filter(None, (precise(record, name) for name in model.IN_FORCE_END)), None)
    if start is None or (end is None and record.status != model.IN_FORCE_STATUS):
        return None
    return InForce(start, end)


def ordinance_events(ordinance, place, own):
    def event(date, kind, label=None, by=None):
        return Event(date, kind, ordinance, place, own, str(label or kind.label), by)

    events = [
        event(date, kind)
        for date, kind in (
            (ordinance.adopted, EventKind.ADOPTED),
            (ordinance.effective, EventKind.EFFECTIVE),
            (ordinance.repealed, EventKind.REPEALED),
        )
        if date is not None
    ]
    for amendment in ordinance.amended_by.all():
        date = amendment.adopted or amendment.effective
        if date is not None:
            label = _("Amended by “%(title)s”") % {"title": amendment}
            events.append(event(date, EventKind.AMENDED, label, by=amendment))
    return events


def agreement_events(agreement, place, own, today):
    def event(date, kind):
        return Event(date, kind, agreement, place, own, str(kind.label))

    signed, effective = agreement.signed, agreement.effective
    terminated, expires = agreement.terminated, agreement.expires
    events = [
        event(date, kind)
        for date, kind in (
            (signed, EventKind.SIGNED),
            (effective, EventKind.EFFECTIVE),
            (terminated, EventKind.TERMINATED),
        )
        if date is not None
    ]
    if expires is not None and (terminated is None or terminated.value >= expires.value):
        to_come = period(expires)[1] > today.toordinal()
        events.append(event(expires, EventKind.EXPIRES if to_come else EventKind.EXPIRED))
    return events


def statement_events(statement, place, own):
    if statement.made is None:
        return []
    kind = EventKind.MADE
    return [Event(statement.made, kind, statement, place, own, str(kind.label))]


def binding(instrument):
    """That a record (by its provisions' foreign key `instrument`) binds the places within."""
    return Exists(
        Provision.objects.filter(**{instrument: OuterRef("pk")}, binds_places_within=True)
    )


def place_timeline(place, *, user, first_year=None, last_year=None, today=None):
    """The timeline of `place` as `user` may see it: published records for the public.

    `first_year`, `last_year`: keep only the events of those years (either may be None), and
    the records with an event or time in force in them.
    """
    today = today or timezone.localdate()
    rows = list(
        Containment.objects.filter(
            place=place,
            depth__gt=0,
            within__in=Jurisdiction.objects.visible_to(user, withdrawn=True),
        )
        .select_related("within")
        .order_by("depth", "within__name", "within_id")
    )
    containers = [row.within for row in rows]
    by_id = {container.pk: container for container in containers}
    ids = list(by_id)
    statute_ids = [c.pk for c in containers if c.kind in STATUTE_LEVELS]

    ordinances = (
        Ordinance.objects.visible_to(user)
        .filter(
            Q(jurisdiction=place)
            | Q(jurisdiction__in=ids) & binding("ordinance")
            | Q(jurisdiction__in=statute_ids, kind=OrdinanceKind.STATUTE)
        )
        .prefetch_visible("amended_by", user=user)
    )
    agreements = (
        Agreement.objects.visible_to(user)
        .filter(
            Q(local_party__jurisdiction=place)
            | Q(local_party__jurisdiction__in=ids) & binding("agreement")
        )
        .select_related("local_party")
    )
    about = Statement.about_jurisdictions.through.objects
    nearest = (
        Containment.objects.filter(place=place, within_id__in=[place.pk, *ids])
        .filter(within__statements=OuterRef("pk"))
        .order_by("depth")
        .values("within_id")[:1]
    )
    statements = (
        Statement.objects.visible_to(user)
        .filter(
            Q(pk__in=about.filter(jurisdiction=place).values("statement_id"))
            | Q(pk__in=about.filter(jurisdiction__in=ids).values("statement_id"))
            & binding("statement")
        )
        .annotate(timeline_place_id=Subquery(nearest))
    )

    def whose(place_id):
        return (place, True) if place_id == place.pk else (by_id[place_id], False)

    entries = []
    for ordinance in ordinances:
        where, own = whose(ordinance.jurisdiction_id)
        entries.append(Entry(ordinance, where, own, ordinance_events(ordinance, where, own)))
    for agreement in agreements:
        where, own = whose(agreement.local_party.jurisdiction_id)
        entries.append(
            Entry(agreement, where, own, agreement_events(agreement, where, own, today))
        )
    for statement in statements:
        where, own = whose(statement.timeline_place_id)
        entries.append(Entry(statement, where, own, statement_events(statement, where, own)))
    for entry in entries:
        if not isinstance(entry.record, Statement):
            entry.in_force = in_force_interval(entry.record)

    undated = [entry for entry in entries if not entry.events]
    dated = [entry for entry in entries if entry.events]
    if first_year is not None or last_year is not None:
        window = years_window(first_year, last_year)
        dated = [entry for entry in (within_window(e, window, today) for e in dated) if entry]

    return Timeline(
        place=place,
        containers=containers,
        trail=parent_chain(place, by_id),
        entries=sorted(dated, key=lambda entry: entry.sort_key),
        undated=sorted(undated, key=lambda entry: entry.sort_key),
    )


def parent_chain(place, by_id):
    """The place's parents up to the nation, nation first, from rows already read."""
    chain, node = [], by_id.get(place.parent_id)
    while node is not None and node not in chain:
        chain.append(node)
        node = by_id.get(node.parent_id)
    return chain[::-1]


def years_window(first_year, last_year):
    """Ordinals [first, after) of the years from `first_year` to `last_year` (inclusive)."""
    first = datetime.date(first_year or datetime.MINYEAR, 1, 1).toordinal()
    after = datetime.date(last_year or datetime.MAXYEAR, 12, 31).toordinal() + 1
    return first, after


def in_force_span(in_force, today):
    """Ordinals [first, after) of an in-force interval: to its end, or to today if open."""
    end = in_force.end.value if in_force.end else today
    return in_force.start.value.toordinal(), max(end.toordinal(), in_force.start.value.toordinal())


def overlaps(span, window):
    return span[0] < window[1] and span[1] > window[0]


def within_window(entry, window, today):
    """The entry with only its events in the window; None if nothing of it is in it."""
    events = [event for event in entry.events if overlaps(event.period, window)]
    in_force = entry.in_force and overlaps(in_force_span(entry.in_force, today), window)
    if not events and not in_force:
        return None
    return Entry(entry.record, entry.place, entry.own, events, entry.in_force)


# The chart, in the SVG's own units. It is scaled to the width of its box (100%, up to a
# maximum set in the stylesheet): 360 wide, so that 15-unit text is 12 px on a 320 px phone.
WIDTH = 360
LEFT = 8  # the time axis runs from LEFT to WIDTH - RIGHT
RIGHT = 12  # room for the arrow of a bar that runs on to today
AXIS_Y = 30  # the axis line, under the years
HEADING_HEIGHT = 30  # a group's heading: the place whose records follow
LANE_HEIGHT = 46  # a record: its title, then its bar and marks below
LABEL_DROP = 17  # from the top of a lane to its title's baseline
BAR_DROP = 33  # from the top of a lane to the middle of its bar
BAR_HEIGHT = 8
MARK_RADIUS = 6  # an event on a known day: a dot
SPAN_HEIGHT = 16  # an event known to its month or year: a box over the month or year
SPAN_MIN_WIDTH = 6
MAX_YEAR_LABELS = 6  # "2012" at 15 units is about 36 wide: six fit with room between
YEAR_LABEL_WIDTH = 40  # from its tick: 3 of space, the year, and a little room
YEAR_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000)
TITLE_LENGTH = 42  # characters of a record's title shown in its lane (the list has all)


@dataclass(frozen=True)
class Tick:
    year: int
    x: float
    label: bool  # a labelled year, with a grid line; else a short tick on the axis

    @property
    def label_x(self):
        return round(self.x + 3, 1)


@dataclass(frozen=True)
class Mark:
    event: Event
    x: float  # a span's left edge, or a dot's centre
    width: float  # 0 for a dot
    y: float  # the middle of its lane's bar

    @property
    def is_span(self):
        return self.width > 0

    @property
    def top(self):
        return round(self.y - SPAN_HEIGHT / 2, 1)

    height = SPAN_HEIGHT
    radius = MARK_RADIUS


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    y: float  # its top
    open_ended: bool  # in force today, with no end date: an arrow at today

    height = BAR_HEIGHT

    @property
    def arrow(self):
        """The points of the arrow at its end, for a bar still in force."""
        end, middle = round(self.x + self.width, 1), round(self.y + BAR_HEIGHT / 2, 1)
        half = BAR_HEIGHT
        return f"{end},{middle - half} {end + half},{middle} {end},{middle + half}"


@dataclass(frozen=True)
class Lane:
    entry: Entry
    label_y: float
    bar: Bar | None
    marks: list


@dataclass(frozen=True)
class Group:
    place: Jurisdiction
    own: bool
    heading_y: float
    lanes: list


@dataclass(frozen=True)
class Chart:
    """What the SVG draws, in its units: an axis of years, and a group of lanes per place."""

    width: int
    height: float
    first_year: int
    last_year: int
    ticks: list
    groups: list
    axis_y: float
    grid_bottom: float
    today_x: float | None  # a dashed line at today, when today is on the axis
    event_count: int
    own_count: int
    inherited_count: int

    @property
    def axis_left(self):
        return LEFT

    @property
    def year_y(self):
        return self.axis_y - 8

    @property
    def grid_top(self):
        return self.axis_y - 6

    @property
    def tick_bottom(self):
        return self.axis_y + 4

    @property
    def axis_right(self):
        return WIDTH - RIGHT


def chart_of(timeline, *, first_year=None, last_year=None, today=None):
    """The geometry of the timeline's chart, or None when it has no entry to draw.

    The axis spans whole years: `first_year` to `last_year` where given, else from the
    earliest event or in-force start to the latest event, or today for a bar still running.
    """
    today = today or timezone.localdate()
    entries = timeline.entries
    if not entries:
        return None
    starts, ends = [], []
    for entry in entries:
        for event in entry.events:
            starts.append(event.date.value.year)
            ends.append(datetime.date.fromordinal(event.period[1] - 1).year)
        if entry.in_force:
            first, after = in_force_span(entry.in_force, today)
            starts.append(datetime.date.fromordinal(first).year)
            ends.append(datetime.date.fromordinal(max(after - 1, first)).year)
    first_year = first_year or min(starts)
    last_year = last_year or max(ends)
    first_year, last_year = min(first_year, last_year), max(first_year, last_year)
    window = years_window(first_year, last_year)
    scale = (WIDTH - RIGHT - LEFT) / (window[1] - window[0])

    def x(ordinal):
        return round(LEFT + (min(max(ordinal, window[0]), window[1]) - window[0]) * scale, 1)

    groups, y = [], AXIS_Y + 6
    for members in grouped(entries, [timeline.place, *timeline.containers]):
        heading_y = y + HEADING_HEIGHT - 10
        y += HEADING_HEIGHT
        lanes = []
        for entry in members:
            lanes.append(lane(entry, y, x, today))
            y += LANE_HEIGHT
        groups.append(Group(members[0].place, members[0].own, heading_y, lanes))
    today_ordinal = today.toordinal()
    return Chart(
        width=WIDTH,
        height=y + 8,
        first_year=first_year,
        last_year=last_year,
        ticks=ticks(first_year, last_year, x),
        groups=groups,
        axis_y=AXIS_Y,
        grid_bottom=y,
        today_x=x(today_ordinal) if window[0] <= today_ordinal < window[1] else None,
        event_count=sum(len(entry.events) for entry in entries),
        own_count=sum(len(entry.events) for entry in entries if entry.own),
        inherited_count=sum(len(entry.events) for entry in entries if not entry.own),
    )


def grouped(entries, places):
    """The entries by whose they are, in the order of `places`: the place's own first, then
    those of the nearest place above it, and so on up."""
    groups = {place.pk: [] for place in places}
    for entry in entries:
        groups[entry.place.pk].append(entry)
    return [members for members in groups.values() if members]


def lane(entry, top, x, today):
    middle = top + BAR_DROP
    bar = None
    if entry.in_force:
        first, after = in_force_span(entry.in_force, today)
        left, right = x(first), x(after)
        bar = Bar(
            left,
            round(max(right - left, 2), 1),
            round(middle - BAR_HEIGHT / 2, 1),
            entry.in_force.end is None,
        )
    marks = []
    for event in entry.events:
        first, after = event.period
        if event.date.precision == DatePrecision.DAY:
            marks.append(Mark(event, round((x(first) + x(after)) / 2, 1), 0, middle))
            continue
        left, right = x(first), x(after)
        if right - left < SPAN_MIN_WIDTH:
            centre = (left + right) / 2
            left, right = centre - SPAN_MIN_WIDTH / 2, centre + SPAN_MIN_WIDTH / 2
        marks.append(Mark(event, round(left, 1), round(right - left, 1), middle))
    return Lane(entry, top + LABEL_DROP, bar, marks)


def ticks(first_year, last_year, x):
    """The axis's years: the first and every `step`-th labelled, with a grid line, where the
    label has room (it is left off where it would run into the one before or past the right
    edge); each other year a short tick while there are few enough to tell apart."""
    count = last_year - first_year + 1
    step = next((s for s in YEAR_STEPS if -(-count // s) <= MAX_YEAR_LABELS), YEAR_STEPS[-1])
    result, labelled_at = [], None
    for year in range(first_year, last_year + 1):
        at = x(datetime.date(year, 1, 1).toordinal())
        labelled = (
            (year == first_year or year % step == 0)
            and (labelled_at is None or at - labelled_at >= YEAR_LABEL_WIDTH)
            and at + YEAR_LABEL_WIDTH <= WIDTH
        )
        if labelled:
            labelled_at = at
        if labelled or count <= 60:
            result.append(Tick(year, at, labelled))
    return result
