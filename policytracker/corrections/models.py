"""What readers report as wrong, out of date or unsourced, for staff to check and answer."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MESSAGE_MAX_LENGTH = 5000


class CorrectionState(models.TextChoices):
    NEW = "new", _("New")
    CHECKING = "checking", _("Being checked")
    CORRECTED = "corrected", _("Corrected")
    DECLINED = "declined", _("Declined: the record stands")


class Correction(models.Model):
    """A reader's report about a page. Only staff read it: the public never sees it, nor the
    address a reader leaves for a reply."""

    page = models.CharField(
        _("page"),
        max_length=500,
        blank=True,
        help_text=_("The page's address on this site, or the record's name."),
    )
    message = models.TextField(
        _("what is wrong"),
        max_length=MESSAGE_MAX_LENGTH,
        help_text=_("What should change, in your own words."),
    )
    evidence = models.TextField(
        _("the source that shows it"),
        max_length=2000,
        blank=True,
        help_text=_("A link to, or the title and date of, the document that shows it."),
    )
    reply_to = models.EmailField(
        _("your email address"),
        blank=True,
        help_text=_("Only if you would like an answer. Only staff see it."),
    )
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    state = models.CharField(
        max_length=10, choices=CorrectionState.choices, default=CorrectionState.NEW
    )
    staff_note = models.TextField(
        _("staff note"), blank=True, help_text=_("What was checked, changed or answered.")
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=CorrectionState.values), name="correction_state_valid"
            ),
            models.CheckConstraint(condition=~Q(message=""), name="correction_message_not_empty"),
        ]
        indexes = [models.Index(fields=["state", "received_at"], name="correction_state_time")]

    def __str__(self):
        return f"{self.received_at:%Y-%m-%d}: {self.page or _('no page given')}"[:120]
