from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "lagesbild.offers"
    label = "offers"
    verbose_name = "Erbjudanden (Bidra)"

    def ready(self):
        from lagesbild.ops import personal_data

        from .models import Offer, OfferReply

        # The inventory finds contact_name, email and phone by their names. What the person
        # wrote about herself and what staff wrote to her are hers too: exported with the row
        # and blanked when she is erased.
        personal_data.register(Offer, personal=["description"])
        personal_data.register(OfferReply, personal=["text"])
