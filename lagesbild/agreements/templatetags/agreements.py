"""{% load agreements %}{% partner_agreements partner %}: the partner's public agreements on
the public partner page (agreements/_public_list.html; nothing when there are none)."""

from django import template

from ..public import public_agreements

register = template.Library()


@register.inclusion_tag("agreements/_public_list.html")
def partner_agreements(partner):
    return {"agreements": public_agreements(partner), "partner": partner}
