"""Spanish: the catalogue (complete, well-formed, up to date with the source, compiled by
the project), the /es/ pages, the language switcher, records' Spanish texts, the API's
messages in the request's language, the admin in Spanish, and no cookie for readers."""

import datetime
import gettext
import os
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from agreements.models import Agreement
from policytracker.catalogue import MAKEMESSAGES_IGNORED, catalogues, compile_catalogues
from policytracker.dates import DatePrecision, PreciseDate
from policytracker.language import page_in, without_language
from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    OrdinanceFactory,
    SourceFactory,
    StatementFactory,
)

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
NOTICE = "Este registro aún no tiene traducción al español; se muestra en inglés."
LIST_NOTICE = "Algunos de estos registros aún no tienen traducción al español"


def spanish(name, **kwargs):
    with translation.override("es"):
        return reverse(name, **kwargs)


# The catalogue


PRINTF = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")
BRACES = re.compile(r"\{(\w*)(?:[!:][^{}]*)?\}")


def placeholders(text, flags):
    """The placeholders of a msgid or msgstr, as a sorted list: %(name)s and %s (python-
    format), {name} and {} (python-brace-format)."""
    found = []
    if "python-format" in flags:
        found += [match.group(0) for match in PRINTF.finditer(text) if match.group(0) != "%%"]
    if "python-brace-format" in flags:
        found += [f"{{{match.group(1)}}}" for match in BRACES.finditer(text)]
    return sorted(found)


def catalogue_problems(po):
    """Every entry that is untranslated, fuzzy, or whose translation's placeholders differ
    from its msgid's: (msgid, problem)."""
    problems = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append((entry.msgid, "fuzzy"))
        if entry.msgid_plural:
            forms = {0: entry.msgid, 1: entry.msgid_plural}
            translations = {index: entry.msgstr_plural.get(index, "") for index in forms}
        else:
            forms, translations = {0: entry.msgid}, {0: entry.msgstr}
        for index, source in forms.items():
            translated = translations[index]
            if not translated:
                problems.append((entry.msgid, f"untranslated (form {index})"))
            elif placeholders(translated, entry.flags) != placeholders(source, entry.flags):
                problems.append((entry.msgid, f"placeholders differ (form {index})"))
    return problems


def test_spanish_catalogue_translates_every_entry_with_its_placeholders():
    po = polib.pofile(str(CATALOGUE))

    assert len(po) > 1000
    assert catalogue_problems(po) == []
    assert po.metadata["Language"] == "es"
    assert not po.metadata_is_fuzzy


def test_catalogue_check_finds_untranslated_fuzzy_and_wrong_placeholders():
    po = polib.pofile(
        """
msgid ""
msgstr "Language: es\\n"

msgid "Fine %(name)s"
msgstr "Bien %(name)s"

msgid "Missing"
msgstr ""

#, fuzzy
msgid "Guessed"
msgstr "Adivinado"

#, python-format
msgid "Named %(name)s"
msgstr "Nombrado %(nombre)s"

#, python-brace-format
msgid "Braces {value}"
msgstr "Llaves"

#, python-format
msgid "%(count)d row"
msgid_plural "%(count)d rows"
msgstr[0] "%(count)d fila"
msgstr[1] ""
"""
    )

    assert catalogue_problems(po) == [
        ("Missing", "untranslated (form 0)"),
        ("Guessed", "fuzzy"),
        ("Named %(name)s", "placeholders differ (form 0)"),
        ("Braces {value}", "placeholders differ (form 0)"),
        ("%(count)d row", "untranslated (form 1)"),
    ]


def msgids(path):
    return {
        (entry.msgctxt, entry.msgid, entry.msgid_plural or None)
        for entry in polib.pofile(str(path))
        if not entry.obsolete
    }


def test_catalogue_holds_exactly_the_strings_of_the_source(tmp_path, settings, monkeypatch):
    """makemessages, run on a copy of the project, extracts what the committed catalogue
    holds: no string marked in the source is missing from it, and none is left over."""
    if shutil.which("xgettext") is None:
        if os.environ.get("REQUIRE_GETTEXT") == "1":
            pytest.fail("REQUIRE_GETTEXT=1 but GNU gettext (xgettext) is not installed.")
        pytest.skip("GNU gettext (xgettext) is not installed: install it to run this test.")
    copy = tmp_path / "project"
    ignored = [pattern.removesuffix("/*") for pattern in MAKEMESSAGES_IGNORED]
    shutil.copytree(
        settings.BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(".*", "__pycache__", "*.mo", "*.sqlite3", *ignored),
    )
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)

    call_command("makemessages", locale=["es"], verbosity=0)

    extracted = msgids(copy / "locale" / "es" / "LC_MESSAGES" / "django.po")
    committed = msgids(CATALOGUE)
    assert sorted(extracted - committed, key=str) == []  # marked, not in the catalogue
    assert sorted(committed - extracted, key=str) == []  # in the catalogue, gone from the source


def test_compile_catalogue_builds_a_missing_or_stale_catalogue_in_python(tmp_path, settings):
    folder = tmp_path / "locale" / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(CATALOGUE, folder / "django.po")
    settings.LOCALE_PATHS = [tmp_path / "locale"]

    call_command("compile_catalogue", verbosity=0)
    mo = folder / "django.mo"
    with mo.open("rb") as file:
        compiled = gettext.GNUTranslations(file)

    assert compiled.gettext("Agreements") == "Acuerdos"
    assert compiled.ngettext("%(count)d value marked reviewed.", "", 2) != ""
    assert compile_catalogues() == []  # fresh now: nothing to do
    os.utime(folder / "django.po", (mo.stat().st_mtime + 10,) * 2)
    assert compile_catalogues() == [mo]  # its .po changed since


def test_the_project_catalogue_is_compiled_for_the_tests():
    """The test session's start compiled it (tests/conftest.py)."""
    assert catalogues() == [CATALOGUE]
    with CATALOGUE.with_suffix(".mo").open("rb") as compiled:
        assert gettext.GNUTranslations(compiled).gettext("Agreements") == "Acuerdos"


def test_dates_are_written_in_the_readers_language():
    day = PreciseDate(datetime.date(2012, 9, 14), DatePrecision.DAY)
    month = PreciseDate(datetime.date(2012, 9, 1), DatePrecision.MONTH)

    assert (str(day), str(month)) == ("September 14, 2012", "September 2012")
    with translation.override("es"):
        assert (str(day), str(month)) == ("14 de septiembre de 2012", "septiembre de 2012")


# Pages


@pytest.fixture
def world(chain):
    cpd = AgencyFactory(slug="cpd", jurisdiction=chain.city)
    records = SimpleRecords(
        ordinance=OrdinanceFactory(
            slug="rule",
            title="Welcoming City Ordinance",
            title_es="Ordenanza de Ciudad Acogedora",
            summary="Limits what city agencies do.",
            summary_es="Limita lo que hacen las agencias de la ciudad.",
            jurisdiction=chain.city,
        ),
        agreement=AgreementFactory(
            slug="deal", title="Customs cross-designation", summary="Customs law.", local_party=cpd
        ),
        statement=StatementFactory(
            slug="talk",
            title="On the orders",
            title_es="Sobre las órdenes",
            summary="A position.",
            speaker_agency=cpd,
            about_jurisdictions=[chain.city],
        ),
    )
    for record in (chain.city, cpd, records.ordinance, records.agreement, records.statement):
        SourceFactory(record=record)
    return records


class SimpleRecords:
    def __init__(self, **records):
        self.__dict__.update(records)


def test_english_pages_keep_their_addresses_and_say_they_are_english(client, world):
    assert reverse("home") == "/"
    assert reverse("agreements:detail", kwargs={"slug": "deal"}) == "/agreements/deal/"
    assert reverse("admin:index") == "/admin/"

    response = client.get(reverse("agreements:list"))

    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert "<h1>Agreements</h1>" in response.content.decode()


def test_spanish_pages_are_under_es_and_in_spanish(client, world):
    assert spanish("home") == "/es/"

    home = client.get(spanish("home")).content.decode()
    agreements = client.get(spanish("agreements:list")).content.decode()

    assert '<html lang="es">' in home
    assert "Saltar al contenido" in home  # "Skip to content"
    assert "<h1>Acuerdos</h1>" in agreements
    assert "<h1>Agreements</h1>" not in agreements


@pytest.mark.parametrize(
    "url_name", ["agreements:list", "ordinances:list", "statements:list", "sources:list"]
)
def test_spanish_list_forms_name_their_filters_and_sorts_in_spanish(client, world, url_name):
    """Labels made when a FilterSet class is defined (date ranges, reverse sorts) stay lazy,
    so a Spanish page does not get the English ones the class was made with."""
    english = client.get(reverse(url_name)).content.decode()
    spanish_page = client.get(spanish(url_name)).content.decode()

    assert "(descending)" in english
    assert "(descending)" not in spanish_page
    assert "(descendente)" in spanish_page
    assert not re.search(r">\s*(Signed|Made|Adopted|Status)\b", spanish_page)


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("home", {}),
        ("agreements:list", {}),
        ("agreements:detail", {"slug": "deal"}),
        ("jurisdictions:detail", {"slug": "chicago"}),
        ("search:search", {}),
        ("profiles:compare", {}),
    ],
)
def test_switcher_links_to_the_same_page_with_its_query_in_the_other_language(
    client, world, name, kwargs
):
    query = "?q=detainer&page=1"
    english, es = reverse(name, kwargs=kwargs) + query, spanish(name, kwargs=kwargs) + query

    on_english = client.get(english).content.decode()
    on_spanish = client.get(es).content.decode()

    switch_to_spanish = f'<a href="{escape(es)}" hreflang="es" lang="es">Español</a>'
    switch_to_english = f'<a href="{escape(english)}" hreflang="en" lang="en">English</a>'
    assert switch_to_spanish in on_english
    assert switch_to_english in on_spanish
    for page in (on_english, on_spanish):
        assert f'<link rel="alternate" hreflang="en" href="{escape(english)}">' in page
        assert f'<link rel="alternate" hreflang="es" href="{escape(es)}">' in page
        assert f'<link rel="alternate" hreflang="x-default" href="{escape(english)}">' in page


def test_switcher_of_a_missing_page_links_to_the_same_address_in_the_other_language(client):
    response = client.get("/es/no-such-page/?x=1")

    assert response.status_code == 404
    assert '<a href="/no-such-page/?x=1" hreflang="en" lang="en">English</a>' in (
        response.content.decode()
    )
    assert page_in("/no-such-page/", "es") == "/es/no-such-page/"


def test_spanish_record_pages_show_the_spanish_title_and_summary(client, world):
    page = client.get(spanish("ordinances:detail", kwargs={"slug": "rule"})).content.decode()

    assert "<h1>Ordenanza de Ciudad Acogedora</h1>" in page
    assert "Limita lo que hacen las agencias de la ciudad." in page
    assert "<title>Ordenanza de Ciudad Acogedora — " in page
    assert "Welcoming City Ordinance" not in page
    assert NOTICE not in page


def test_english_record_pages_show_the_english_title_and_summary(client, world):
    page = client.get(reverse("ordinances:detail", kwargs={"slug": "rule"})).content.decode()

    assert "<h1>Welcoming City Ordinance</h1>" in page
    assert "Limits what city agencies do." in page
    assert "Ordenanza de Ciudad Acogedora" not in page


@pytest.mark.parametrize(
    ("namespace", "slug", "title", "summary"),
    [
        ("agreements", "deal", "Customs cross-designation", "Customs law."),
        ("statements", "talk", None, "A position."),  # a Spanish title, no Spanish summary
    ],
)
def test_spanish_page_of_an_untranslated_record_shows_the_english_marked_with_a_notice(
    client, world, namespace, slug, title, summary
):
    page = client.get(spanish(f"{namespace}:detail", kwargs={"slug": slug})).content.decode()

    if title:
        assert f'<h1><span lang="en">{title}</span></h1>' in page
    else:
        assert "<h1>Sobre las órdenes</h1>" in page
    assert f'<div class="summary" lang="en"><p>{summary}</p></div>' in page
    assert NOTICE in page
    english = client.get(reverse(f"{namespace}:detail", kwargs={"slug": slug})).content.decode()
    assert NOTICE not in english and 'lang="en"><p>' not in english


def test_spanish_list_pages_show_spanish_titles_and_mark_the_english_ones(client, world):
    ordinances = client.get(spanish("ordinances:list")).content.decode()
    agreements = client.get(spanish("agreements:list")).content.decode()
    english = client.get(reverse("agreements:list")).content.decode()

    assert ">Ordenanza de Ciudad Acogedora</a>" in ordinances
    assert LIST_NOTICE not in ordinances
    assert '><span lang="en">Customs cross-designation</span></a>' in agreements
    assert LIST_NOTICE in agreements
    assert LIST_NOTICE not in english and '<span lang="en">' not in english


def test_spanish_pages_link_downloads_and_feeds_without_a_language_prefix(client, world):
    page = client.get(spanish("agreements:list")).content.decode()

    assert 'href="/agreements/export.csv"' in page
    assert 'href="/feeds/agreements/"' in page
    assert "/es/agreements/export" not in page
    assert without_language("/es/agreements/export.csv") == "/agreements/export.csv"


def test_api_answers_in_spanish_when_asked_and_in_english_otherwise(client, world):
    url = reverse("api:agreement-list") + "?status=no-such-status"

    default = client.get(url)
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    es = client.get(url, HTTP_ACCEPT_LANGUAGE="es")

    assert default.status_code == english.status_code == es.status_code == 400
    assert default.json() == english.json()
    assert es.json()["status"][0].startswith("Escoja una opción válida.")  # Django's words
    assert es["Content-Language"] == "es"
    assert "Accept-Language" in es["Vary"]


def test_api_gives_the_projects_own_messages_in_spanish(client, world):
    url = reverse("api:jurisdiction-profile", kwargs={"slug": "chicago"}) + "?on=someday"

    es = client.get(url, HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    english = client.get(url)

    assert es.status_code == english.status_code == 400
    assert es.json()["on"] == [
        "“someday” no es una fecha: indíquela como AAAA-MM-DD, p. ej., 2019-07-15."
    ]
    assert english.json()["on"] == [
        "“someday” is not a date: give one as YYYY-MM-DD, e.g. 2019-07-15."
    ]


def test_api_data_is_the_same_in_both_languages(client, world):
    url = reverse("api:agreement-detail", kwargs={"slug": "deal"})

    english = client.get(url).json()
    es = client.get(url, HTTP_ACCEPT_LANGUAGE="es").json()

    assert es == english
    assert english["html_url"] == "http://testserver/agreements/deal/"
    assert english["title_es"] == ""


def test_admin_is_in_spanish_under_es(admin_client, world):
    response = admin_client.get(spanish("admin:index"))
    change = admin_client.get(
        spanish("admin:agreements_agreement_change", args=[Agreement.objects.get().pk])
    )

    with translation.override("es"):
        site_administration = translation.gettext("Site administration")
        agreements = str(Agreement._meta.verbose_name_plural).capitalize()
        title_es_label = str(Agreement._meta.get_field("title_es").verbose_name).capitalize()
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="es"' in page
    assert site_administration != "Site administration" and site_administration in page
    assert agreements == "Acuerdos" and agreements in page
    assert change.status_code == 200
    assert 'name="title_es"' in change.content.decode()
    assert title_es_label in change.content.decode()


# Cookies

PAGE_TYPES = [
    ("home", {}),
    ("about", {}),
    ("privacy", {}),
    ("jurisdictions:list", {}),
    ("jurisdictions:detail", {"slug": "chicago"}),
    ("jurisdictions:timeline", {"slug": "chicago"}),
    ("agencies:list", {}),
    ("agencies:detail", {"slug": "cpd"}),
    ("ordinances:list", {}),
    ("ordinances:detail", {"slug": "rule"}),
    ("agreements:list", {}),
    ("agreements:detail", {"slug": "deal"}),
    ("statements:list", {}),
    ("statements:detail", {"slug": "talk"}),
    ("sources:list", {}),
    ("search:search", {}),
    ("changes", {}),
    ("exports:index", {}),
    ("profiles:compare", {}),
    ("profiles:coverage", {}),
]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(("name", "kwargs"), PAGE_TYPES, ids=[name for name, _ in PAGE_TYPES])
def test_anonymous_reader_gets_no_cookie(client, world, language, name, kwargs):
    with translation.override(language):
        url = reverse(name, kwargs=kwargs)

    response = client.get(url)

    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.cookies == {}


@pytest.mark.parametrize("language", ["en", "es"])
def test_page_with_a_form_sets_only_the_csrf_cookie(client, world, language):
    with translation.override(language):
        url = reverse("corrections:new")

    response = client.get(url)

    assert response.status_code == 200
    assert list(response.cookies) == [settings.CSRF_COOKIE_NAME]


def test_search_finds_a_record_by_its_spanish_title_and_summary(api_client, world):
    url = reverse("api:search-list")

    by_title = api_client.get(url, {"q": "Acogedora"}).json()
    by_summary = api_client.get(url, {"q": "agencias"}).json()

    assert [result["slug"] for result in by_title["results"]] == ["rule"]
    assert [result["slug"] for result in by_summary["results"]] == ["rule"]


def test_privacy_page_says_which_cookies_the_site_sets_in_both_languages(client, world):
    english = client.get(reverse("privacy")).content.decode()
    es = client.get(spanish("privacy")).content.decode()

    assert "Reading the site sets no cookie." in english
    assert "csrftoken" in english and "csrftoken" in es
    assert '<html lang="es">' in es and "Reading the site" not in es
    assert f'href="{reverse("privacy")}"' in client.get(reverse("home")).content.decode()
