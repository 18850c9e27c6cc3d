"""The changes pages' downloads: the rows the page lists, with the columns it shows, as CSV
and JSON; never a staff member's name where the pages do not show it."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement
from policytracker.exports.changes import BY_COLUMN, CHANGE_COLUMNS
from policytracker.services import record_set_publication
from policytracker.views import RecordChangesView
from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    OrdinanceFactory,
    SourceFactory,
    StatementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "json"]
COLUMNS = [column.name for column in CHANGE_COLUMNS]


def recent_url(file_format):
    return reverse("changes-export", kwargs={"file_format": file_format})


def record_url(namespace, slug, file_format):
    return reverse(
        f"{namespace}:changes-export", kwargs={"slug": slug, "file_format": file_format}
    )


def text(response):
    assert response.status_code == 200, response
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def rows(response, file_format):
    """JSON rows; CSV rows read as JSON would give them (empty cells None, lists split)."""
    body = text(response)
    if file_format == "json":
        return json.loads(body)
    found = []
    for row in csv.DictReader(io.StringIO(body)):
        row = {name: value if value != "" else None for name, value in row.items()}
        row["fields_changed"] = row["fields_changed"].split("; ") if row["fields_changed"] else []
        row["revision"] = int(row["revision"])
        found.append(row)
    return found


def header(response):
    return next(csv.reader(io.StringIO(text(response))))


@pytest.fixture
def agreement(chain, staff_user):
    """A published agreement changed twice after, by staff, with a reason the second time."""
    record = AgreementFactory(
        slug="task-force",
        title="Task force",
        local_party=AgencyFactory(slug="cpd", jurisdiction=chain.city),
        federal_party=AgencyFactory(slug="hsi", kind="federal_agency"),
    )
    record.signed_on, record.signed_on_precision = datetime.date(2017, 1, 1), "year"
    record.save()
    record.title, record.status = "Task force (renewed)", "expired"
    record._change_reason = "Renewed in 2020"
    record.save()
    Agreement.history.update(history_user=staff_user)
    return record


def expected_row(revision, **values):
    return {
        "when": timezone.localtime(revision.history_date).isoformat(),
        "revision": revision.history_id,
        "record_type": "agreement",
        "record_slug": "task-force",
        "html_url": "http://testserver/agreements/task-force/",
        "revision_url": f"http://testserver/agreements/task-force/?revision={revision.history_id}",
        "reason": None,
        **values,
    }


@pytest.mark.parametrize("file_format", FORMATS)
def test_record_changes_download_has_the_rows_the_page_lists(client, agreement, file_format):
    page = client.get(reverse("agreements:changes", kwargs={"slug": "task-force"}))
    first, second, third = reversed(page.context["object_list"])

    found = rows(client.get(record_url("agreements", "task-force", file_format)), file_format)

    assert found == [
        expected_row(
            third,
            record="Task force (renewed)",
            change="changed",
            fields_changed=["title", "status"],
            reason="Renewed in 2020",
        ),
        expected_row(second, record="Task force", change="changed", fields_changed=["signed"]),
        expected_row(first, record="Task force", change="published", fields_changed=[]),
    ]
    assert [list(row) for row in found] == [COLUMNS] * 3


@pytest.mark.parametrize("file_format", FORMATS)
def test_record_changes_download_has_every_page(client, monkeypatch, agreement, file_format):
    monkeypatch.setattr(RecordChangesView, "paginate_by", 1)
    page = client.get(reverse("agreements:changes", kwargs={"slug": "task-force"}), {"page": 2})

    found = rows(
        client.get(record_url("agreements", "task-force", file_format), {"page": 2}), file_format
    )

    assert len(page.context["object_list"]) == 1
    assert len(found) == 3


@pytest.mark.parametrize("file_format", FORMATS)
def test_recent_changes_download_has_the_rows_the_page_lists_in_its_order(
    client, agreement, file_format
):
    StatementFactory(title="A statement")
    OrdinanceFactory(title="A draft rule", publication_state="draft")
    page = client.get(reverse("changes"))
    revisions = page.context["revisions"]

    found = rows(client.get(recent_url(file_format)), file_format)

    assert [(row["record"], row["change"]) for row in found] == [
        (str(r.instance), str(r.change_code())) for r in revisions
    ]
    assert "A statement" in [row["record"] for row in found]
    assert "A draft rule" not in json.dumps(found)
    (latest,) = [r for r in revisions if str(r.instance) == "Task force (renewed)"]
    assert found[revisions.index(latest)] == expected_row(
        latest,
        record="Task force (renewed)",
        change="changed",
        fields_changed=["title", "status"],
        reason="Renewed in 2020",
    )


@pytest.mark.parametrize("file_format", FORMATS)
def test_changes_downloads_never_name_staff_when_the_pages_do_not(
    client, agreement, staff_user, file_format
):
    for url in (recent_url(file_format), record_url("agreements", "task-force", file_format)):
        body = text(client.get(url))

        assert staff_user.username not in body
        if file_format == "csv":
            assert body.splitlines()[0] == ",".join(COLUMNS)
        else:
            assert all("by" not in row for row in json.loads(body))


def test_changes_downloads_name_staff_where_the_pages_do(client, settings, agreement, staff_user):
    settings.HISTORY_SHOW_STAFF_NAMES = True
    staff_user.first_name, staff_user.last_name = "Ada", "Reviewer"
    staff_user.save()

    recent = rows(client.get(recent_url("json")), "json")
    record = rows(client.get(record_url("agreements", "task-force", "csv")), "csv")

    assert {row["by"] for row in recent if row["record_type"] == "agreement"} == {"Ada Reviewer"}
    assert {row["by"] for row in record} == {"Ada Reviewer"}
    assert header(client.get(recent_url("csv"))) == [*COLUMNS, BY_COLUMN.name]


def test_a_deleted_record_has_no_page_address(client, chain):
    agency = AgencyFactory(slug="gone", name="Gone PD", jurisdiction=chain.city)
    agency.delete()
    found = rows(client.get(recent_url("json")), "json")

    (row,) = [row for row in found if row["record"] == "Gone PD" and row["change"] == "deleted"]

    assert (row["change"], row["html_url"], row["record_slug"]) == ("deleted", None, "gone")
    assert row["revision_url"] is None


def test_withdrawn_and_many_to_many_changes_are_named_as_the_page_names_them(client, chain):
    reviewer = UserFactory(permissions=["jurisdictions.publish_agency"])
    agency = AgencyFactory(slug="withdrawn-pd", jurisdiction=chain.city)
    SourceFactory(record=agency)
    record_set_publication(record=agency, state="withdrawn", user=reviewer)
    statement = StatementFactory(slug="talk")
    statement.about_jurisdictions.set([chain.city])

    withdrawn = rows(client.get(record_url("agencies", "withdrawn-pd", "json")), "json")
    talk = rows(client.get(record_url("statements", "talk", "json")), "json")

    assert [row["change"] for row in withdrawn] == ["withdrawn", "published"]
    assert talk[0]["fields_changed"] == ["about_jurisdictions"]


def test_record_changes_download_of_a_draft_is_404_for_the_public(client, staff_client):
    AgencyFactory(slug="draft-pd", publication_state="draft")

    assert client.get(record_url("agencies", "draft-pd", "csv")).status_code == 404
    assert staff_client.get(record_url("agencies", "draft-pd", "csv")).status_code == 200


def test_record_changes_download_follows_a_renamed_record(client):
    agreement = AgreementFactory(slug="old-name")
    agreement.slug = "new-name"
    agreement.save()

    response = client.get(record_url("agreements", "old-name", "json"))

    assert response.status_code == 301
    assert response["Location"] == record_url("agreements", "new-name", "json")


@pytest.mark.parametrize("file_format", FORMATS)
def test_changes_downloads_are_dated_attachments(client, agreement, file_format):
    today = timezone.localdate().isoformat()

    recent = client.get(recent_url(file_format))
    record = client.get(record_url("agreements", "task-force", file_format))

    assert recent["Content-Disposition"] == f'attachment; filename="changes-{today}.{file_format}"'
    assert record["Content-Disposition"] == (
        f'attachment; filename="changes-agreements-task-force-{today}.{file_format}"'
    )


def test_changes_pages_link_their_downloads_and_the_dictionary(client, agreement):
    recent = client.get(reverse("changes")).content.decode()
    record = client.get(reverse("agreements:changes", kwargs={"slug": "task-force"}))

    for file_format in FORMATS:
        assert f'href="{recent_url(file_format)}"' in recent
        assert f'href="{record_url("agreements", "task-force", file_format)}"' in (
            record.content.decode()
        )
    assert f'href="{reverse("exports:index")}#changes"' in recent


def test_data_page_explains_the_changes_columns_and_names_by_only_where_shown(client, settings):
    hidden = client.get(reverse("exports:index")).content.decode()
    settings.HISTORY_SHOW_STAFF_NAMES = True
    shown = client.get(reverse("exports:index")).content.decode()

    assert 'id="changes"' in hidden
    for column in CHANGE_COLUMNS:
        assert f"<code>{column.name}</code>" in hidden
    assert "<code>by</code>" not in hidden
    assert "<code>by</code>" in shown


@pytest.mark.parametrize("size", [2, 12])
def test_changes_downloads_make_constant_queries(client, django_assert_num_queries, size):
    for _ in range(size):
        agreement = AgreementFactory()
        agreement.title += " (amended)"
        agreement.save()
        StatementFactory()
    for file_format in FORMATS:
        with django_assert_num_queries(5):  # one per record type, as the page
            text(client.get(recent_url(file_format)))
        with django_assert_num_queries(2):  # the record, its revisions (every page)
            text(client.get(record_url("agreements", agreement.slug, file_format)))
