from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches
from django.db.models import Q
from django.test import Client
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from jurisdictions.models import JurisdictionKind
from policytracker.catalogue import compile_catalogues
from tests.factories import AgencyFactory, JurisdictionFactory, UserFactory
from tests.worlds import build_world, built_once

RECORD_APPS = ("policytracker", "jurisdictions", "agreements", "profiles")


def pytest_configure(config):
    # WhiteNoise warns at start-up that `collectstatic` has not run; tests serve from finders.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")
    # The read replica's alias, as DATABASE_REPLICA_URL configures it: in tests, a mirror of
    # the primary. Nothing reads from it unless a test installs the router
    # (tests/test_replica.py), so the suite runs the same with or without one set.
    if "replica" not in settings.DATABASES:
        settings.DATABASES["replica"] = {
            **settings.DATABASES["default"],
            "TEST": {"MIRROR": "default"},
        }


def pytest_sessionstart(session):
    """The Spanish pages need the compiled catalogue: build it when it is missing or older
    than its .po, so that plain `pytest` works as `make test` does."""
    compile_catalogues()


@pytest.fixture(autouse=True)
def english_to_start():
    """Each test starts in English, whatever the one before it asked for: a request for a
    Spanish page leaves Spanish active in the thread, and reverse() would follow it."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Users made in tests need no slow, secure hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def api_unthrottled(settings):
    """The suite asks the API many times from one address, so the API's throttles are off;
    tests/test_throttling.py turns them on with rates of its own (`throttle_rates`)."""
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}
    }


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: what one test cached never answers another's
    request, whichever worker ran which test before it."""
    for each in caches.all():
        each.clear()


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    """The page cache is off in tests, so that they see what a view does and the pinned
    query counts measure the uncached path; tests/test_page_cache.py turns it on."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(scope="class")
def sized_world(request, django_db_setup, django_db_blocker):
    """`build_world(size)` for `@pytest.mark.parametrize("sized_world", SIZES, indirect=True)`
    on a class of tests: built once per size for the class, seen by no other test."""
    yield from built_once(django_db_blocker, build_world, request.param)


@pytest.fixture
def api_client():
    """An anonymous API client."""
    return APIClient()


@pytest.fixture
def staff_user(db):
    """Staff, not superuser, holding every permission on the project's own models."""
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=RECORD_APPS))
    return user


@pytest.fixture
def staff_client(staff_user):
    client = Client()
    client.force_login(staff_user)
    return client


@pytest.fixture
def staff_api_client(staff_user):
    client = APIClient()
    client.force_login(staff_user)
    return client


@pytest.fixture
def user_without_permissions(db):
    return UserFactory()


@pytest.fixture
def agreement_adder(db):
    """May view and add agreements, and nothing else."""
    return UserFactory(permissions=["agreements.view_agreement", "agreements.add_agreement"])


@pytest.fixture
def agreement_adder_token_client(agreement_adder):
    """An API client that authenticates the agreement adder by token, without a session."""
    token = Token.objects.create(user=agreement_adder)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def agreement_adder_session_client(agreement_adder):
    client = APIClient()
    client.force_login(agreement_adder)
    return client


@pytest.fixture
def chain(db):
    """United States > Illinois > Cook County > Chicago, all published."""
    nation = JurisdictionFactory(
        name="United States", slug="united-states", kind=JurisdictionKind.NATION
    )
    state = JurisdictionFactory(
        name="Illinois", slug="illinois", kind=JurisdictionKind.STATE, parent=nation
    )
    county = JurisdictionFactory(
        name="Cook County", slug="cook-county", kind=JurisdictionKind.COUNTY, parent=state
    )
    city = JurisdictionFactory(
        name="Chicago", slug="chicago", kind=JurisdictionKind.CITY, parent=county
    )
    return SimpleNamespace(nation=nation, state=state, county=county, city=city)


@pytest.fixture
def places(chain):
    """Chicago and its chain, plus a second county with a police force of its own."""
    dupage = JurisdictionFactory(
        name="DuPage County", slug="dupage-county", kind="county", parent=chain.state
    )
    cpd = AgencyFactory(
        name="Chicago Police Department", abbreviation="CPD", slug="cpd", jurisdiction=chain.city
    )
    sheriff = AgencyFactory(
        name="DuPage County Sheriff", slug="dupage-sheriff", kind="sheriff", jurisdiction=dupage
    )
    ice = AgencyFactory(
        name="Immigration and Customs Enforcement",
        abbreviation="ICE",
        slug="ice",
        kind="federal_agency",
        jurisdiction=chain.nation,
    )
    hsi = AgencyFactory(
        name="Homeland Security Investigations",
        abbreviation="HSI",
        slug="hsi",
        kind="federal_agency",
        jurisdiction=chain.nation,
    )
    ero = AgencyFactory(
        name="Enforcement and Removal Operations",
        abbreviation="ERO",
        slug="ero",
        kind="federal_agency",
        jurisdiction=chain.nation,
        parent=ice,
    )
    return SimpleNamespace(
        **vars(chain), dupage=dupage, cpd=cpd, sheriff=sheriff, ice=ice, hsi=hsi, ero=ero
    )


# The review workflow's groups and their permissions as migrations wrote them, read once per
# worker right after its test database is made: a transactional test elsewhere in the suite
# may empty the database before a browser test asks for them.
REVIEW_GROUPS = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        for group in Group.objects.prefetch_related("permissions__content_type"):
            REVIEW_GROUPS[group.name] = [
                (permission.content_type.app_label, permission.codename)
                for permission in group.permissions.all()
            ]


def review_group(name):
    """The group `name` with its permissions, made again if the database lost it."""
    for app_config in django_apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    group, _ = Group.objects.get_or_create(name=name)
    wanted = Q()
    for app_label, codename in REVIEW_GROUPS[name]:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.add(*Permission.objects.filter(wanted))
    return group


@pytest.fixture
def jobs_run_at_once(settings, django_capture_on_commit_callbacks):
    """Background jobs run in the test's own process as soon as they are queued (once the
    request that queued them commits): `jobs_run_at_once(client, url, data)` posts and runs
    what the post queued. No worker is needed."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    def post(client, url, data=None, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {}, **extra)

    return post
