"""Publishing an import as a whole: records with every draft they name, in bulk, for a
Reviewer only, all or nothing, with history and search kept right."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement
from jurisdictions.models import Agency, Jurisdiction
from policytracker.importers.base import ImportRefused
from policytracker.importers.ice_287g import Ice287gImporter
from policytracker.importers.ocd import OcdImporter
from policytracker.models import PublicationState
from policytracker.publication import records_publish_with_named
from policytracker.search.models import SearchEntry
from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    CitationFactory,
    JurisdictionFactory,
    UserFactory,
)
from tests.import_helpers import DATA, data_file, table_snapshot

pytestmark = pytest.mark.django_db

DRAFT = {"publication_state": PublicationState.DRAFT}


def member_of(*group_names):
    user = UserFactory(is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=group_names))
    return user


@pytest.fixture
def reviewer():
    return member_of("Reviewers")


@pytest.fixture
def editor():
    return member_of("Editors")


@pytest.fixture
def reviewing_editor():
    """Imports (an Editor's right) and publishes (a Reviewer's)."""
    return member_of("Editors", "Reviewers")


def cited(record):
    CitationFactory(record=record)
    return record


@pytest.fixture
def drafts():
    """A draft agreement whose agencies and their places are drafts too, each cited; the
    nation above them is published already."""
    nation = JurisdictionFactory(kind="nation", slug="nation")
    state = cited(JurisdictionFactory(kind="state", parent=nation, slug="state", **DRAFT))
    county = cited(JurisdictionFactory(kind="county", parent=state, slug="county", **DRAFT))
    sheriff = cited(AgencyFactory(jurisdiction=county, slug="sheriff", **DRAFT))
    ice = AgencyFactory(jurisdiction=nation, slug="ice", kind="federal_agency")
    deal = cited(AgreementFactory(local_party=sheriff, federal_party=ice, slug="deal", **DRAFT))
    return deal


def states():
    return {
        record.slug: record.publication_state
        for model in (Jurisdiction, Agency, Agreement)
        for record in model.objects.all()
    }


def test_an_agreement_is_published_with_its_draft_agency_county_and_state(drafts, reviewer):
    published = records_publish_with_named({Agreement: {drafts.pk}}, user=reviewer)

    assert published == {"agreements": 1, "agencies": 1, "jurisdictions": 2}
    assert set(states().values()) == {PublicationState.PUBLISHED}
    revision = Agreement.history.filter(id=drafts.pk).latest("history_date")
    assert revision.publication_state == PublicationState.PUBLISHED
    assert revision.changed_fields == ["*"]  # a first publication
    assert revision.history_user == reviewer
    assert revision.change_kind() == "published"
    drafts.refresh_from_db()
    assert drafts.version == 2  # a form opened on the draft is refused on save
    assert SearchEntry.objects.visible_to(AnonymousUser()).filter(agreement_record=drafts).exists()


def test_a_record_published_before_notes_what_changed_since(drafts, reviewer):
    records_publish_with_named({Agreement: {drafts.pk}}, user=reviewer)
    Agreement.objects.filter(pk=drafts.pk).update(publication_state="draft", title="Renamed")

    records_publish_with_named({Agreement: {drafts.pk}}, user=reviewer)

    revision = Agreement.history.filter(id=drafts.pk).latest("history_date")
    assert revision.changed_fields == ["title"]  # since the last public revision


def test_public_records_are_left_as_they_are(drafts, reviewer):
    withdrawn = cited(AgencyFactory(publication_state=PublicationState.WITHDRAWN))
    AgreementFactory(local_party=withdrawn, federal_party=drafts.federal_party, slug="old")
    history_rows = Agency.history.filter(id=withdrawn.pk).count()

    published = records_publish_with_named(
        {Agreement: set(Agreement.objects.values_list("pk", flat=True))}, user=reviewer
    )

    withdrawn.refresh_from_db()
    assert withdrawn.publication_state == PublicationState.WITHDRAWN
    assert Agency.history.filter(id=withdrawn.pk).count() == history_rows
    assert published["agreements"] == 1  # "old" was published already


def test_one_record_without_a_source_publishes_nothing_and_is_named(drafts, reviewer):
    drafts.local_party.citations.all().delete()
    before = states()

    with pytest.raises(ValidationError) as refused:
        records_publish_with_named({Agreement: {drafts.pk}}, user=reviewer)

    assert "1 agencies (" in refused.value.messages[0]
    assert str(drafts.local_party) in refused.value.messages[0]
    assert states() == before


def test_an_editor_may_not_publish_in_bulk(drafts, editor):
    before = states()

    with pytest.raises(PermissionDenied):
        records_publish_with_named({Agreement: {drafts.pk}}, user=editor)

    assert states() == before


def test_the_queries_do_not_grow_with_the_records(reviewer):
    def publish(count):
        nation = JurisdictionFactory(kind="nation")
        places = [
            cited(JurisdictionFactory(kind="state", parent=nation, **DRAFT)) for _ in range(count)
        ]
        with CaptureQueriesContext(connection) as queries:
            records_publish_with_named({Jurisdiction: {p.pk for p in places}}, user=reviewer)
        return len(queries)

    publish(3)  # the first call reads the permissions and content types once
    assert publish(3) == publish(30)


# The importers and the admin.


def test_an_import_with_publish_publishes_what_it_writes_with_their_places(reviewer):
    OcdImporter().run([data_file("ocd_states.csv"), data_file("ocd_places_extract.csv")])
    assert not Jurisdiction.objects.public().exists()

    summary = Ice287gImporter(user=reviewer, publish=True).run(
        [data_file("ice_287g_extract-2025-05-16.csv")]
    )

    assert summary.written
    agreements = Agreement.objects.all()
    assert agreements and all(a.is_published for a in agreements)
    assert summary.published["agreements"] == agreements.count()
    assert (
        not Agency.objects.exclude(publication_state="published")
        .filter(local_agreements__in=agreements)
        .exists()
    )
    assert "published, with the drafts they name: " in "\n".join(summary.lines())
    # Places no agreement names stay drafts.
    assert Jurisdiction.objects.filter(publication_state="draft").exists()


def test_an_import_an_editor_asks_to_publish_is_refused_whole(editor):
    before = table_snapshot(Jurisdiction)

    with pytest.raises(ImportRefused, match="Only a Reviewer"):
        OcdImporter(user=editor, publish=True).run([data_file("ocd_states.csv")])

    assert table_snapshot(Jurisdiction) == before


def test_a_dry_run_with_publish_counts_and_writes_nothing(reviewer):
    summary = OcdImporter(user=reviewer, publish=True, dry_run=True).run(
        [data_file("ocd_states.csv")]
    )

    assert summary.published["jurisdictions"] == 52
    assert not Jurisdiction.objects.exists()


def test_the_command_publishes_only_as_a_named_reviewer(reviewer, capsys):
    path = str(DATA / "ocd_states.csv")

    with pytest.raises(CommandError, match="--publish needs --user"):
        call_command("import_ocd", path, "--publish")
    with pytest.raises(CommandError, match="No user is named 'nobody'"):
        call_command("import_ocd", path, "--publish", "--user", "nobody")

    call_command("import_ocd", path, "--publish", "--user", reviewer.username)

    assert "published, with the drafts they name: 52 jurisdictions" in capsys.readouterr().out
    assert Jurisdiction.objects.published().count() == 52


def test_the_admin_action_publishes_the_selection_with_what_it_names(drafts, reviewer):
    client = Client()
    client.force_login(reviewer)

    response = client.post(
        reverse("admin:agreements_agreement_changelist"),
        {"action": "publish_with_named", "_selected_action": [drafts.pk]},
        follow=True,
    )

    assert "Published: 1 agreements, 1 agencies, 2 jurisdictions." in response.content.decode()
    assert set(states().values()) == {PublicationState.PUBLISHED}


def test_the_admin_action_is_offered_to_reviewers_only(drafts, reviewer, editor):
    url = reverse("admin:agreements_agreement_changelist")
    for user, offered in ((reviewer, True), (editor, False)):
        client = Client()
        client.force_login(user)
        assert ('value="publish_with_named"' in client.get(url).content.decode()) is offered


def test_the_import_page_offers_publish_to_reviewers_and_keeps_it_to_the_confirm(
    reviewing_editor, editor, settings, tmp_path, jobs_run_at_once
):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("admin-import")
    editor_client, client = Client(), Client()
    editor_client.force_login(editor)
    client.force_login(reviewing_editor)
    assert "publish" not in editor_client.get(url).context["form"].fields
    upload = SimpleUploadedFile("ocd_states.csv", (DATA / "ocd_states.csv").read_bytes())

    dry_run = client.get(
        jobs_run_at_once(client, url, {"importer": "ocd", "files": [upload], "publish": "on"}).url
    )

    words = " ".join(dry_run.content.decode().split())
    assert "Would be published, with the drafts they name: 52 jurisdictions." in words
    confirm = reverse("admin:jobs_job_confirm", args=[dry_run.context["job"].pk])
    confirmed = client.get(jobs_run_at_once(client, confirm).url)
    assert confirmed.context["summary"].published["jurisdictions"] == 52
    assert Jurisdiction.objects.published().count() == 52
