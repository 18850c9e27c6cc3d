from django.urls import path, re_path

from policytracker.feeds import feeds
from policytracker.search.feeds import SearchFeed

app_name = "feeds"

# Only the five type names match `records`, so routes added here may come in any order.
record_types = "|".join(feeds.RECORD_TYPES)

urlpatterns = [
    path("changes/", feeds.ChangesFeed.as_view(), name="changes"),
    path("revisions/", feeds.RevisionsFeed(), name="revisions"),
    path("search/", SearchFeed.as_view(), name="search"),
    path("places/<slug:slug>/", feeds.PlaceFeed.as_view(), name="place"),
    re_path(
        rf"^(?P<record_type>{record_types})/$", feeds.RecordTypeFeed.as_view(), name="records"
    ),
]
