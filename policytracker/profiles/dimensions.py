"""The questions a place's policy profile answers, and the positions a rule takes on each.

A fixed list, the one immigration-enforcement trackers classify local cooperation by. Each
provision a rule holds answers one of them; a place's profile gives, for each, the position
that governs there on a date.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    DETAINERS = "detainers", _("Honoring ICE detainers")
    JUDICIAL_WARRANT = "judicial_warrant", _("A judicial warrant before holding someone for ICE")
    RELEASE_NOTIFICATION = "release_notification", _("Telling ICE when someone is released")
    TRANSFERS = "transfers", _("Transferring people to ICE custody")
    JAIL_ACCESS = "jail_access", _("ICE access to jails and to people in custody")
    STATUS_INQUIRY = "status_inquiry", _("Asking about immigration status or place of birth")
    INFORMATION_SHARING = "information_sharing", _("Sharing information or databases with ICE")
    AGREEMENT_287G = "agreement_287g", _("287(g) agreements")
    CROSS_DESIGNATION = "cross_designation", _("Other cross-designations and federal task forces")
    DETENTION_CONTRACTS = "detention_contracts", _("Detention contracts with ICE")
    LOCAL_RESOURCES = (
        "local_resources",
        _("Local resources and facilities for civil immigration enforcement"),
    )
    SENSITIVE_LOCATIONS = (
        "sensitive_locations",
        _("Protections at sensitive locations (schools, courts, hospitals)"),
    )
    PREEMPTION = "preemption", _("State pre-emption of local choices")


# What each question asks, in plain words, for the profile's table and the API.
QUESTIONS = {
    Dimension.DETAINERS: _("Do local jails hold people past their release because ICE asks?"),
    Dimension.JUDICIAL_WARRANT: _(
        "Is a warrant signed by a judge needed before someone is held or handed over for ICE?"
    ),
    Dimension.RELEASE_NOTIFICATION: _(
        "Do local officials tell ICE when someone will be released?"
    ),
    Dimension.TRANSFERS: _("Do local officials hand people over to ICE custody?"),
    Dimension.JAIL_ACCESS: _("May ICE enter local jails and interview people held there?"),
    Dimension.STATUS_INQUIRY: _(
        "Do local officials ask people about their immigration status or where they were born?"
    ),
    Dimension.INFORMATION_SHARING: _("Do local agencies share information or databases with ICE?"),
    Dimension.AGREEMENT_287G: _(
        "Does a local agency act for ICE under a 287(g) agreement, and under which model?"
    ),
    Dimension.CROSS_DESIGNATION: _(
        "Are local officers cross-designated as federal officers, or in federal task forces?"
    ),
    Dimension.DETENTION_CONTRACTS: _("Does a local jail hold people for ICE under a contract?"),
    Dimension.LOCAL_RESOURCES: _(
        "May local money, staff and buildings be used for civil immigration enforcement?"
    ),
    Dimension.SENSITIVE_LOCATIONS: _(
        "Are schools, courts and hospitals protected from immigration enforcement?"
    ),
    Dimension.PREEMPTION: _("Does the state forbid or require local choices on these questions?"),
}


class Position(models.TextChoices):
    REQUIRES = "requires", _("Requires")
    PARTICIPATES = "participates", _("Takes part")
    PERMITS = "permits", _("Permits")
    LIMITS = "limits", _("Limits")
    PROHIBITS = "prohibits", _("Prohibits")


# Which way a position leans: toward cooperation with federal enforcement, or against it.
TOWARD = {Position.REQUIRES, Position.PARTICIPATES, Position.PERMITS}
AGAINST = {Position.LIMITS, Position.PROHIBITS}


def conflicts(broader, narrower):
    """Whether a broader rule's position contradicts a narrower one's, so that the broader,
    where it binds, prevails: a state that requires what a city prohibits, a state that
    prohibits what a county permits. A broader permission leaves a narrower limit standing
    (permitting is not requiring), and two rules leaning the same way do not conflict."""
    if broader == Position.REQUIRES:
        return narrower in AGAINST
    if broader == Position.PROHIBITS:
        return narrower in TOWARD
    if broader == Position.LIMITS:
        return narrower in (Position.REQUIRES, Position.PARTICIPATES)
    return False


class Basis(models.TextChoices):
    WRITTEN = "written", _("Written policy")
    PRACTICE = "practice", _("Reported practice")
