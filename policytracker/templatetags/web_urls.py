"""`{{ source.url|web_url }}`: an address a page may link to, or "" for any other.

A stored address is linked only when it is a web address (http or https): one that an
import or an old row left as `javascript:…` or `data:…` would run script, or show a page of
the attacker's, from a reader's click. Its text may still be shown, escaped, as any text.
"""

from urllib.parse import urlsplit

from django import template

register = template.Library()

WEB_SCHEMES = {"http", "https"}


@register.filter
def web_url(value):
    # Browsers drop the whitespace and control characters a scheme may hide behind.
    address = "".join(character for character in str(value or "") if character > " ").strip()
    try:
        parts = urlsplit(address)
    except ValueError:
        return ""
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.netloc:
        return ""
    return str(value).strip()
