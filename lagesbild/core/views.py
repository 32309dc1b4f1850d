from django.shortcuts import render

from lagesbild.policy.models import Policy


def home(request):
    policies = Policy.objects.all()
    return render(request, "core/home.html", {"policies": policies})
