"""Who may do what with statistics. Reading the status page: the municipalities' own people
(is_staff_member: not partners); starting a refresh: the municipality's coordinator (admins
count as coordinators of every municipality).
The object is anything with a `municipality` attribute (views pass the municipality code)."""

import rules

from lagesbild.accounts.rules import in_municipality, is_coordinator, is_staff_member

rules.add_perm("stats.view_statistics", is_staff_member)
rules.add_perm("stats.refresh_statistics", is_coordinator & in_municipality)
# Load or remove labelled example values for the municipality (lagesbild.stats.example_data).
rules.add_perm("stats.manage_example_data", is_coordinator & in_municipality)
