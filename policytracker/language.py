"""The site's two languages: which one a request is answered in, and each page's other one.

Pages carry their language in the address: English at the site's addresses, Spanish under
/es/ (`i18n_patterns` in policytracker/urls.py), so a link, a bookmark or a search engine
always gets the page in the language it names, and no cookie is needed for it. The API has
no language in its addresses: it answers in the language the request asks for
(Accept-Language), for programs that read its error messages.
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.middleware import locale
from django.urls import get_script_prefix, translate_url
from django.utils import translation

# Addresses without a language prefix that answer in the request's language.
NEGOTIATED_PREFIXES = ("/api/",)


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's LocaleMiddleware, which answers every address without a language prefix in
    the default language once the pages use `i18n_patterns`; but the API answers in the
    request's language (its Accept-Language, or Django's language cookie where a browser
    has one). The language is the request's only: the thread's is restored after it, so
    that code run after a request (a test's reverse()) is not in its language."""

    def __call__(self, request):
        with translation.override(translation.get_language()):
            return super().__call__(request)

    def process_request(self, request):
        super().process_request(request)
        if request.path_info.startswith(NEGOTIATED_PREFIXES):
            translation.activate(translation.get_language_from_request(request))
            request.LANGUAGE_CODE = translation.get_language()


def prefix_for(language):
    """The path prefix of a language's pages: "" for the default language, "es/" else."""
    return "" if language == settings.LANGUAGE_CODE else f"{language}/"


def page_in(path, language):
    """The address of the page at `path` (with its query string) in `language`.

    The page's route reversed in that language (django.urls.translate_url); for an
    address no route matches (a page not found), the same path under that language's
    prefix.
    """
    parts = urlsplit(path)
    script_prefix = get_script_prefix()
    rest = parts.path.removeprefix(script_prefix)
    current = translation.get_language_from_path(f"/{rest}") or settings.LANGUAGE_CODE
    if current == language:
        return path
    with translation.override(current):  # the language the path is resolved in
        translated = translate_url(path, language)
    if translated != path:
        return translated
    rest = rest.removeprefix(prefix_for(current))
    return urlunsplit(("", "", f"{script_prefix}{prefix_for(language)}{rest}", parts.query, ""))


def language_links(request):
    """For every page: the page in each language, for the switcher and `hreflang` links.

    `language_links`: one dict per language (code, its name in itself, url, current),
    the default language first,
    `other_languages`: the same without the current one.
    """
    path = request.get_full_path()
    current = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = page_in(path, code)
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "current": code == current,
            }
        )
    return {
        "language_links": links,
        "other_languages": [link for link in links if not link["current"]],
    }


def without_language(url):
    """`url` (a site path) at its address without a language prefix: where the site's
    downloads are linked from every page, one address for each file."""
    script_prefix = get_script_prefix()
    if not url.startswith(script_prefix):
        return url
    rest = url.removeprefix(script_prefix)
    for code, _name in settings.LANGUAGES:
        prefix = prefix_for(code)
        if prefix and rest.startswith(prefix):
            return f"{script_prefix}{rest.removeprefix(prefix)}"
    return url
