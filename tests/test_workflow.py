"""Review before publication: Editors write, Reviewers publish; a public record cites a
source; an Editor's change to a public record waits for review while the public sees the
published version."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from agreements.models import Agreement
from jurisdictions.models import Agency, Ordinance
from policytracker.models import ProposedChange, ProposedChangeState, PublicRecord
from policytracker.services import change_publish, change_reject
from tests.admin_forms import admin_url, form_data
from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    JurisdictionFactory,
    OrdinanceFactory,
    SourceFactory,
    StatementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def member_of(group_name):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor():
    return member_of("Editors")


@pytest.fixture
def reviewer():
    return member_of("Reviewers")


def propose(record, editor, **changes):
    return ProposedChange.objects.create(
        record=record, changes=changes, base_version=record.version, proposed_by=editor
    )


def logged_in(user, client_class=Client):
    client = client_class()
    client.force_login(user)
    return client


def test_migration_creates_editors_and_reviewers_with_their_permissions(editor, reviewer):
    assert editor.has_perm("agreements.add_agreement")
    assert editor.has_perm("agreements.change_agreement")
    assert not editor.has_perm("agreements.publish_agreement")
    assert not editor.has_perm("agreements.delete_agreement")
    assert reviewer.has_perm("agreements.publish_agreement")
    assert reviewer.has_perm("jurisdictions.publish_jurisdiction")
    assert reviewer.has_perm("policytracker.change_proposedchange")
    assert not reviewer.has_perm("agreements.add_agreement")


# Who may publish


def test_editor_cannot_publish_through_the_api(editor, chain):
    agency = AgencyFactory(jurisdiction=chain.city, publication_state="draft")
    SourceFactory(record=agency)
    url = reverse("api:agency-detail", kwargs={"slug": agency.slug})

    response = logged_in(editor, APIClient).patch(
        url, {"publication_state": "published"}, format="json"
    )

    assert response.status_code == 403
    assert "Reviewer" in response.json()["detail"]
    agency.refresh_from_db()
    assert agency.publication_state == "draft"


def test_editor_cannot_create_a_published_record_through_the_api(editor, chain):
    response = logged_in(editor, APIClient).post(
        reverse("api:agency-list"),
        {
            "name": "New PD",
            "slug": "new-pd",
            "kind": "police",
            "jurisdiction": chain.city.slug,
            "publication_state": "published",
        },
        format="json",
    )

    assert response.status_code == 403
    assert not Agency.objects.filter(slug="new-pd").exists()


def test_editor_submits_a_draft_for_review_through_the_api(editor, chain):
    agency = AgencyFactory(jurisdiction=chain.city, publication_state="draft")

    response = logged_in(editor, APIClient).patch(
        reverse("api:agency-detail", kwargs={"slug": agency.slug}),
        {"publication_state": "in_review"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    agency.refresh_from_db()
    assert agency.publication_state == "in_review"


def test_reviewer_publishes_through_the_api_only_with_a_source(reviewer, chain):
    agency = AgencyFactory(jurisdiction=chain.city, publication_state="in_review")
    client = logged_in(reviewer, APIClient)
    url = reverse("api:agency-detail", kwargs={"slug": agency.slug})

    refused = client.patch(url, {"publication_state": "published"}, format="json")
    SourceFactory(record=agency)
    accepted = client.patch(url, {"publication_state": "published"}, format="json")

    assert refused.status_code == 400
    assert "at least one source" in refused.json()["publication_state"][0]
    assert accepted.status_code == 200


def test_editor_admin_form_offers_only_draft_and_review(editor):
    page = logged_in(editor).get(admin_url(Agreement, "add"))

    choices = page.context["adminform"].form.fields["publication_state"].choices
    assert [value for value, _ in choices] == ["draft", "in_review"]


def test_editor_publish_action_is_not_offered_and_refused(editor):
    draft = AgreementFactory(publication_state="draft")
    SourceFactory(record=draft)
    client = logged_in(editor)

    page = client.get(admin_url(Agreement, "changelist"))
    client.post(
        admin_url(Agreement, "changelist"), {"action": "publish", "_selected_action": [draft.pk]}
    )

    actions = [name for name, _ in page.context["action_form"].fields["action"].choices]
    assert "publish" not in actions and "submit_for_review" in actions
    draft.refresh_from_db()
    assert draft.publication_state == "draft"


# Each record type named with its own article in the refusal.
REFUSALS = [
    (JurisdictionFactory, "jurisdiction", "a jurisdiction"),
    (AgencyFactory, "agency", "an agency"),
    (OrdinanceFactory, "ordinance", "an ordinance"),
    (AgreementFactory, "agreement", "an agreement"),
    (StatementFactory, "statement", "a statement"),
]
REFUSAL_IDS = [basename for _, basename, _ in REFUSALS]


def test_every_record_type_has_its_refusal_case():
    record_types = {model for model in apps.get_models() if issubclass(model, PublicRecord)}

    assert record_types == {factory._meta.model for factory, _, _ in REFUSALS}


@pytest.mark.parametrize(("factory", "basename", "named"), REFUSALS, ids=REFUSAL_IDS)
def test_editor_return_to_draft_action_is_refused_naming_the_record_type(
    editor, factory, basename, named
):
    record = factory()
    SourceFactory(record=record)

    response = logged_in(editor).post(
        admin_url(type(record), "changelist"),
        {"action": "unpublish", "_selected_action": [record.pk]},
        follow=True,
    )

    assert [str(message) for message in response.context["messages"]] == [
        f"“{record}” was left as it was: Only a Reviewer may publish, withdraw or unpublish "
        f"{named}."
    ]
    record.refresh_from_db()
    assert record.publication_state == "published"


@pytest.mark.parametrize(("factory", "basename", "named"), REFUSALS, ids=REFUSAL_IDS)
def test_editor_api_return_to_draft_is_refused_naming_the_record_type(
    editor, factory, basename, named
):
    record = factory()
    SourceFactory(record=record)

    response = logged_in(editor, APIClient).patch(
        reverse(f"api:{basename}-detail", kwargs={"slug": record.slug}),
        {"publication_state": "draft"},
        format="json",
    )

    assert (response.status_code, response.json()) == (
        403,
        {"detail": f"Only a Reviewer may publish, withdraw or unpublish {named}."},
    )
    record.refresh_from_db()
    assert record.publication_state == "published"


def test_reviewer_publish_action_refuses_a_record_without_sources(reviewer):
    cited = AgreementFactory(publication_state="in_review")
    SourceFactory(record=cited)
    uncited = AgreementFactory(publication_state="in_review", title="Uncited MOU")

    response = logged_in(reviewer).post(
        admin_url(Agreement, "changelist"),
        {"action": "publish", "_selected_action": [cited.pk, uncited.pk]},
        follow=True,
    )

    cited.refresh_from_db()
    uncited.refresh_from_db()
    assert (cited.publication_state, uncited.publication_state) == ("published", "in_review")
    messages = [str(m) for m in response.context["messages"]]
    assert any("Uncited MOU" in m and "at least one source" in m for m in messages)


def test_admin_form_refuses_to_publish_without_a_source_and_keeps_the_input(admin_client):
    ordinance = OrdinanceFactory(publication_state="draft", title="Uncited rule")
    page = admin_client.get(admin_url(Ordinance, "change", ordinance.pk))

    response = admin_client.post(
        admin_url(Ordinance, "change", ordinance.pk),
        form_data(page, publication_state="published", summary="Typed by staff"),
    )

    assert response.status_code == 200
    assert "at least one source" in response.content.decode()
    assert response.context["adminform"].form["summary"].value() == "Typed by staff"
    ordinance.refresh_from_db()
    assert ordinance.publication_state == "draft"


def test_admin_form_publishes_with_a_source_added_in_the_same_post(admin_client):
    ordinance = OrdinanceFactory(publication_state="draft")
    page = admin_client.get(admin_url(Ordinance, "change", ordinance.pk))
    data = form_data(page, publication_state="published")
    data |= {
        "citations-0-source": SourceFactory(title="Municipal code").pk,
        "citations-0-excerpt": "The passage.",
    }

    response = admin_client.post(admin_url(Ordinance, "change", ordinance.pk), data)

    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    ordinance.refresh_from_db()
    assert ordinance.publication_state == "published"


# An Editor's change to a public record waits for review


def test_editor_change_to_published_record_waits_and_public_sees_the_old_version(editor):
    ordinance = OrdinanceFactory(title="Published title")
    SourceFactory(record=ordinance)
    client = logged_in(editor)
    page = client.get(admin_url(Ordinance, "change", ordinance.pk))

    response = client.post(
        admin_url(Ordinance, "change", ordinance.pk),
        form_data(page, title="Proposed title", change_reason="Official title"),
    )

    assert response.status_code == 302
    ordinance.refresh_from_db()
    assert ordinance.title == "Published title"
    change = ProposedChange.objects.get()
    assert (change.changes, change.reason, change.proposed_by) == (
        {"title": "Proposed title"},
        "Official title",
        editor,
    )
    public = Client().get(ordinance.get_absolute_url())
    assert "Published title" in public.content.decode()
    assert "Proposed title" not in public.content.decode()


def test_reviewer_publishes_a_proposed_change_with_its_history(editor, reviewer):
    ordinance = OrdinanceFactory(title="Published title")
    SourceFactory(record=ordinance)
    page = logged_in(editor).get(admin_url(Ordinance, "change", ordinance.pk))
    logged_in(editor).post(
        admin_url(Ordinance, "change", ordinance.pk),
        form_data(page, title="Proposed title", change_reason="Official title"),
    )
    change = ProposedChange.objects.get()
    review_page = logged_in(reviewer).get(admin_url(ProposedChange, "change", change.pk))

    logged_in(reviewer).post(
        admin_url(ProposedChange, "changelist"),
        {"action": "publish_changes", "_selected_action": [change.pk]},
    )

    assert "Proposed title" in review_page.content.decode()
    ordinance.refresh_from_db()
    change.refresh_from_db()
    assert ordinance.title == "Proposed title"
    assert (change.state, change.decided_by) == (ProposedChangeState.PUBLISHED, reviewer)
    latest = ordinance.history.first()
    assert (latest.history_change_reason, latest.changed_fields) == ("Official title", ["title"])


def test_editor_cannot_publish_a_proposed_change(editor):
    ordinance = OrdinanceFactory()
    SourceFactory(record=ordinance)
    change = propose(ordinance, editor, title="X")

    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        change_publish(change=change, user=editor)
    ordinance.refresh_from_db()
    assert ordinance.title != "X"


def test_proposed_change_to_a_record_edited_since_is_refused(editor, reviewer):
    ordinance = OrdinanceFactory(title="Original")
    SourceFactory(record=ordinance)
    change = propose(ordinance, editor, title="Proposed")
    ordinance.title = "Edited meanwhile"
    ordinance.save()

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="edited after this change was proposed"):
        change_publish(change=change, user=reviewer)
    ordinance.refresh_from_db()
    assert ordinance.title == "Edited meanwhile"


def test_rejected_change_leaves_the_record(editor, reviewer):
    ordinance = OrdinanceFactory(title="Original")
    change = propose(ordinance, editor, title="Proposed")

    change_reject(change=change, user=reviewer)

    ordinance.refresh_from_db()
    change.refresh_from_db()
    assert (ordinance.title, change.state) == ("Original", ProposedChangeState.REJECTED)


def test_editor_api_change_that_changes_nothing_answers_the_record(editor, chain):
    """As the schema's 200 to a write says: the record, not a message, and no change waits."""
    agency = AgencyFactory(jurisdiction=chain.city, name="Published name")
    SourceFactory(record=agency)
    url = reverse("api:agency-detail", kwargs={"slug": agency.slug})

    response = logged_in(editor, APIClient).patch(url, {"name": "Published name"}, format="json")

    assert response.status_code == 200, response.json()
    record = logged_in(editor, APIClient).get(url).json()
    assert set(response.json()) == set(record)
    assert (response.json()["slug"], response.json()["name"]) == (agency.slug, "Published name")
    assert response["ETag"] == f'"{agency.version}"'
    assert not ProposedChange.objects.exists()


def test_editor_api_change_to_a_published_record_waits_for_review(editor, chain):
    agency = AgencyFactory(jurisdiction=chain.city, name="Published name")
    SourceFactory(record=agency)

    response = logged_in(editor, APIClient).patch(
        reverse("api:agency-detail", kwargs={"slug": agency.slug}),
        {"name": "Proposed name"},
        format="json",
    )

    assert response.status_code == 202, response.json()
    assert response.json()["fields"] == ["name"]
    agency.refresh_from_db()
    assert agency.name == "Published name"
    public = APIClient().get(reverse("api:agency-detail", kwargs={"slug": agency.slug}))
    assert public.json()["name"] == "Published name"
    assert ProposedChange.objects.get().changes == {"name": "Proposed name"}
