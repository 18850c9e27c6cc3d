"""What the site says of the data it publishes, from settings: the license of the records
and where readers send corrections. The About page and the API root both show them."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.html import format_html


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


def data_license():
    """The license of the records: its name, and its text's address (empty if none)."""
    return Link(settings.DATA_LICENSE_URL, settings.DATA_LICENSE)


def corrections_contact():
    """Where a reader sends a correction: CORRECTIONS_URL if set, else a mailto: link."""
    if settings.CORRECTIONS_URL:
        return Link(settings.CORRECTIONS_URL, settings.CORRECTIONS_URL)
    return Link(f"mailto:{settings.CORRECTIONS_EMAIL}", settings.CORRECTIONS_EMAIL)
