"""Every page type of the public site, and the admin's login, as paths on the demo data."""

from django.urls import reverse

from agreements.models import Agreement
from policytracker.models import Source
from policytracker.permalinks import revision_url, with_current_revision

CHICAGO = "chicago"
AGREEMENT = "chicago-police-hsi-customs-cross-designation"
ORDINANCE = "chicago-welcoming-city-ordinance"
AGENCY = "chicago-police-department"
STATEMENT = "iacp-statement-on-immigration-related-executive-orders"


def page_types():
    """{name: path} of one page of each type, over the demo data (`load_demo`)."""
    source = Source.objects.filter(title__startswith="Cooperation between").get()
    agreement = with_current_revision(Agreement.objects.filter(slug=AGREEMENT)).get()
    return {
        "home": reverse("home"),
        "jurisdictions": reverse("jurisdictions:list"),
        "jurisdictions within a state": reverse("jurisdictions:list") + "?within=illinois",
        "agencies": reverse("agencies:list"),
        "ordinances": reverse("ordinances:list"),
        "agreements": reverse("agreements:list"),
        "agreements in a place, filtered": reverse("agreements:list")
        + "?jurisdiction=illinois&status=in_force",
        "statements": reverse("statements:list"),
        "sources": reverse("sources:list"),
        "jurisdiction with its profile": reverse("jurisdictions:detail", args=[CHICAGO]),
        "jurisdiction's timeline": reverse("jurisdictions:timeline", args=[CHICAGO]),
        "agency": reverse("agencies:detail", args=[AGENCY]),
        "ordinance": reverse("ordinances:detail", args=[ORDINANCE]),
        "agreement": reverse("agreements:detail", args=[AGREEMENT]),
        "agreement at a cited revision": revision_url(
            reverse("agreements:detail", args=[AGREEMENT]), agreement.current_revision_number
        ),
        "statement": reverse("statements:detail", args=[STATEMENT]),
        "source": reverse("sources:detail", args=[source.pk]),
        "compare": reverse("profiles:compare") + "?j=chicago&j=cook-county&j=illinois",
        "compare, empty": reverse("profiles:compare"),
        "map of counties": reverse("maps:map") + "?dimension=status_inquiry",
        "map of states": reverse("maps:map") + "?dimension=detainers&level=states",
        "find a place": reverse("places:find") + "?q=cook",
        "find a place, none found": reverse("places:find") + "?q=springfield",
        "coverage": reverse("profiles:coverage"),
        "coverage of a state": reverse("profiles:coverage-state", args=["illinois"]),
        "search with results": reverse("search:search") + "?q=police",
        "search with filters": reverse("search:search")
        + "?q=police&type=agreement&jurisdiction=illinois",
        "search without results": reverse("search:search") + "?q=zzzyzx",
        "recent changes": reverse("changes"),
        "a record's changes": reverse("agreements:changes", args=[AGREEMENT]),
        "about": reverse("about"),
        "privacy": reverse("privacy"),
        "data": reverse("exports:index"),
        "corrections form": reverse("corrections:new"),
        "corrections thanks": reverse("corrections:thanks"),
        "not found": reverse("home") + "no-such-page/",
        "admin login": reverse("admin:login"),
    }
