"""Records' texts in the reader's language, and addresses without a language prefix.

{% load languages %}
{{ record|in_language:"title" }}     the Spanish title on a Spanish page; where a record
                                     has none, the English one in <span lang="en">
{% summary_in_language record %}     the summary as paragraphs, in <div class="summary">
                                     (lang="en" when it is the English one), or nothing
{{ record|text_in_language:"title" }}  the text only, for <title> and attributes
{% if record|untranslated %}         some of its text is shown in English
{{ url|without_language }}           a download's one address, from any page
"""

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import format_html
from django.utils.translation import get_language

from policytracker import language

register = template.Library()


def _text(record, field):
    """(text, language) of a record's field; a record with no such field (a place, for a
    title) gives its name."""
    if hasattr(record, "text_in"):
        return record.text_in(field)
    return getattr(record, field, None) or str(record), get_language()


@register.filter
def text_in_language(record, field):
    return _text(record, field)[0]


@register.filter
def in_language(record, field):
    text, text_language = _text(record, field)
    if text_language == get_language():
        return text
    return format_html('<span lang="{}">{}</span>', text_language, text)


@register.simple_tag
def summary_in_language(record):
    text, text_language = _text(record, "summary")
    if not text:
        return ""
    paragraphs = linebreaks_filter(text, autoescape=True)
    if text_language == get_language():
        return format_html('<div class="summary">{}</div>', paragraphs)
    return format_html('<div class="summary" lang="{}">{}</div>', text_language, paragraphs)


@register.filter
def untranslated(record):
    return hasattr(record, "untranslated_in") and record.untranslated_in()


@register.filter
def any_untranslated(records):
    return any(untranslated(record) for record in records)


@register.filter
def without_language(url):
    return language.without_language(str(url))
