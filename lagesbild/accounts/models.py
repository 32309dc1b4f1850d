"""Staff accounts: who works with the cycle, in which role and which department.

Only what is needed to run the work is stored: a user's name and e-mail (Django's User), the
role and the department. Nothing about anyone's origin.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Integrationssamordnare")
    DEPARTMENT = "department", _("Förvaltningsrepresentant")
    PARTNER = "partner", _("Partner")
    READER = "reader", _("Läsare")


class Department(models.Model):
    """A förvaltning, sektor or nämnd of one municipality."""

    municipality = models.CharField(_("kommunkod"), max_length=4)
    name = models.CharField(_("namn"), max_length=200)
    short_name = models.CharField(_("kortnamn"), max_length=40, blank=True)

    class Meta:
        ordering = ["municipality", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="unique_department_name")
        ]
        verbose_name = _("förvaltning")
        verbose_name_plural = _("förvaltningar")

    def __str__(self):
        return self.name


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("användare"),
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices, default=Role.READER)
    # The municipality whose work this account does; blank only for installation admins.
    municipality = models.CharField(_("kommunkod"), max_length=4, blank=True)
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("förvaltning"),
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("profil")
        verbose_name_plural = _("profiler")

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


def role_of(user):
    """The user's role, or None for anonymous users and users without a profile."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.COORDINATOR
    profile = getattr(user, "profile", None)
    return profile.role if profile else None
