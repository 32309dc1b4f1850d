"""Which identity at the single sign-on provider belongs to which local account."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SsoIdentity(models.Model):
    """The provider's stable subject (`sub`) of one account, so later logins do not depend on
    the e-mail address, which a person (or a provider's self-service) may change."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sso_identity",
        verbose_name=_("konto"),
    )
    issuer = models.CharField(_("utfärdare"), max_length=200)
    subject = models.CharField(_("subjekt (sub)"), max_length=255)
    linked_by = models.CharField(_("kopplat genom"), max_length=20)  # "new", "email" or "admin"
    linked_at = models.DateTimeField(_("kopplat"), auto_now_add=True)

    municipality_path = "user__profile__municipality"  # for the admin's scoping

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="unique_sso_identity")
        ]
        verbose_name = _("koppling till inloggningstjänst")
        verbose_name_plural = _("kopplingar till inloggningstjänst")

    def __str__(self):
        return f"{self.user} ← {self.issuer} {self.subject}"
