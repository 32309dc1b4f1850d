from django import template

register = template.Library()


@register.filter
def problems_for(problems, name):
    """The messages of {field name: [message]} for one field (an empty list when none)."""
    return (problems or {}).get(name, [])
