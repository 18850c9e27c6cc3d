"""What the site says of the data it publishes, from settings: the license of the records
and where readers send corrections. The About page and the API root both show them."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Link:
    href: str  # empty: the text alone
    text: str

    def as_html(self):
        if not self.href:
            return format_html("{}", self.text)
        return format_html('<a href="{}">{}</a>', self.href, self.text)

    def as_text(self):
        """Its words, and its address where they differ from it."""
        if not self.href or self.href.removeprefix("mailto:") == self.text:
            return self.text
        return f"{self.text} ({self.href})"


def site_name():
    """The site's name as citations give it: SITE_NAME, else "Policy tracker" in the
    reader's language."""
    return settings.SITE_NAME or _("Policy tracker")


def data_license():
    """The license of the records: its name, and its text's address (empty if none)."""
    return Link(settings.DATA_LICENSE_URL, settings.DATA_LICENSE)


def corrections_contact(request=None):
    """Where a reader sends a correction: CORRECTIONS_URL if set, else the site's own form
    (its full address when `request` is given, for the API)."""
    if settings.CORRECTIONS_URL:
        return Link(settings.CORRECTIONS_URL, settings.CORRECTIONS_URL)
    form = reverse("corrections:new")
    if request is not None:
        form = request.build_absolute_uri(form)
    return Link(form, _("the corrections form"))


def corrections_email():
    """An address readers may write to as well, where one is set (else None)."""
    if settings.CORRECTIONS_EMAIL and not settings.CORRECTIONS_URL:
        return Link(f"mailto:{settings.CORRECTIONS_EMAIL}", settings.CORRECTIONS_EMAIL)
    return None
