"""`python manage.py seed_demo`: load the demo organisations once, then print how to sign in.

Idempotent: the organisations are built only when missing, so running it again changes
nothing except issuing a recovery code when every printed one has been used.
"""

from django.core.management.base import BaseCommand

from carelead.core.management import demo_content
from carelead.core.management.demo import demo_sign_ins, seed_demo

COLUMNS = (("Email", "email"), ("Role", "role"), ("Authenticator secret", "totp_secret"),
           ("Recovery code", "recovery_code"))


class Command(BaseCommand):
    help = "Load the demo organisation (Meadowbank Care Group) once, and print the demo sign-ins."

    def handle(self, *args, **options):
        if seed_demo():
            self.stdout.write(self.style.SUCCESS(f"Loaded the demo organisations: {demo_content.DEMO_ORGANISATION} "
                                                 f"and {demo_content.EMPLOYER_ORGANISATION}."))
        else:
            self.stdout.write("The demo organisations are already loaded; nothing was changed.")
        rows = demo_sign_ins()
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {demo_content.DEMO_PASSWORD})")
        self.stdout.write(_table(rows))
        self.stdout.write("")
        self.stdout.write(
            "Second factor: add the authenticator secret to an authenticator app (as a time-based key),\n"
            "or type the recovery code instead. Each recovery code works once; run seed_demo again for another."
        )


def _table(rows) -> str:
    cells = [[title for title, _ in COLUMNS]] + [
        [getattr(row, name) + (f" ({row.organisation})" if name == "role" and row.organisation else "")
         for _, name in COLUMNS]
        for row in rows
    ]
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    lines = ["  ".join(value.ljust(width) for value, width in zip(line, widths)).rstrip() for line in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
