"""What the public partner page shows of a partner's agreements (issue #15 part 2).

Only agreements the coordinator marked public and that are in force (status active): type,
title, period and purpose. Never the contact person (personal data) nor the amount: the money
is part of the municipality's own follow-up and decisions, and a figure without its context
(per year or in total, in natura) is easily misread on a public page.
"""

from .models import Agreement, Status


def public_agreements(partner):
    """The partner's public, active agreements, newest first."""
    return Agreement.objects.filter(
        partner=partner, is_public=True, status=Status.ACTIVE, municipality=partner.municipality
    ).order_by("-start_date", "title")
