"""Who sees the offers inbox: the integration coordinator of the offer's municipality.

Offers carry contact details of residents: no other role reads them (docs/roles.md), and a
coordinator sees only her own municipality's offers (an installation admin sees all).
"""

import rules

from lagesbild.accounts.rules import in_municipality, is_coordinator

rules.add_perm("offers.view_inbox", is_coordinator)
rules.add_perm("offers.view_offer", is_coordinator & in_municipality)
rules.add_perm("offers.change_offer", is_coordinator & in_municipality)
