"""The meetings admin keeps a coordinator to her own municipality, inline rows included."""

import pytest
from django.contrib.auth.models import Permission

from lagesbild.meetings.models import ActionPoint, Attendance, Invitation

pytestmark = pytest.mark.django_db


def test_inline_rows_can_name_only_her_municipalitys_people(client, people, meeting):
    user = people["coordinator"]
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="meetings"))
    client.force_login(user)
    response = client.get(f"/admin/meetings/meeting/{meeting.pk}/change/")
    assert response.status_code == 200
    formsets = {f.formset.model: f.formset for f in response.context["inline_admin_formsets"]}
    for model, field in ((Attendance, "user"), (Invitation, "user"), (ActionPoint, "responsible")):
        choices = formsets[model].empty_form.fields[field].queryset
        assert people["rep"] in choices, model
        assert people["lidkoping"] not in choices, model  # Lidköping's coordinator
