"""lagesbild personal-data list|export|erase|purge-senders: a person's data under GDPR."""

from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from lagesbild.ops import personal_data


class Command(BaseCommand):
    help = "Personuppgifter: lista fälten, exportera eller radera en persons uppgifter, gallra avsändare."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="vilka fält som innehåller personuppgifter")
        export = sub.add_parser("export", help="allt om en person som JSON")
        export.add_argument("--email", required=True)
        export.add_argument("--out", help="fil att skriva till (annars standard ut)")
        erase = sub.add_parser("erase", help="radera kontot och tömma personfälten")
        erase.add_argument("--email", required=True)
        erase.add_argument("--yes", action="store_true", help="fråga inte")
        purge = sub.add_parser(
            "purge-senders", help="gallra avsändare av gamla förslag och gamla erbjudanden"
        )
        purge.add_argument("--days", type=int, help="standard: LAGESBILD_SENDER_RETENTION_DAYS")

    def handle(self, *args, action, **options):
        getattr(self, action.replace("-", "_"))(**options)

    def list(self, **options):
        for model, fields in sorted(personal_data.inventory().items(), key=lambda i: str(i[0])):
            line = f"{model._meta.label_lower}: {', '.join(fields.personal + fields.lists)}"
            if fields.lists:
                line += f" ({', '.join(fields.lists)}: lista med adresser)"
            if fields.sender:
                line += f" (avsändare, gallras efter {fields.sender_date})"
            self.stdout.write(line)
        for place in personal_data.places():
            where = "; ".join(
                f"{label}: {'hela rader' if names == '*' else ', '.join(names)}"
                for label, names in place.covers.items()
            )
            self.stdout.write(f"{place.name}: {where or 'filer'}")

    def export(self, email, out=None, **options):
        text = personal_data.export_json(email)
        if out:
            Path(out).write_text(text, encoding="utf-8")
            self.stderr.write(f"Skrev {out}")
        else:
            self.stdout.write(text)

    def erase(self, email, yes=False, **options):
        found = personal_data.export(email)["records"]
        if not found:
            raise CommandError(f"Inga uppgifter om {email}.")
        if not yes:
            answer = input(f"Radera {len(found)} poster om {email}? Skriv ja: ")
            if answer.strip().lower() != "ja":
                raise CommandError("Avbrutet; inget raderat.")
        counts = personal_data.erase(email)
        self.stdout.write(
            f"Raderade {counts['accounts_deleted']} konto och tömde personfälten i "
            f"{counts['rows_blanked']} rader för {email}."
        )

    def purge_senders(self, days=None, **options):
        days = personal_data.retention_days() if days is None else days
        counts = personal_data.purge_senders(days)
        total = sum(counts.values())
        detail = ", ".join(f"{k}: {v}" for k, v in counts.items()) or "inga"
        self.stdout.write(f"Gallrade avsändare äldre än {days} dagar i {total} rader ({detail}).")
        if apps.is_installed("lagesbild.offers"):
            # Offers ("Bidra") each keep the retention time the person was told at sign-up.
            from lagesbild.offers.retention import purge_offers

            self.stdout.write(f"Erbjudanden: {purge_offers()} raderade.")
