"""One-time links for invitations: Django's password-reset tokens with their own salt and
lifetime, so a reset link never works as an invitation and the other way round.

A token is bound to the user's password hash and last login, so it stops working once the
password is set (or the invitation is sent again, which sets a new unusable password)."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

INVITATION_DAYS = 14


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "lagesbild.accounts.tokens.InvitationTokenGenerator"
    timeout = INVITATION_DAYS * 24 * 3600

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            ts = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - ts > self.timeout:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


invitation_tokens = InvitationTokenGenerator()
