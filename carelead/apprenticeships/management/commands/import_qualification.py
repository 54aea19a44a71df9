"""`python manage.py import_qualification <file.json>`: load a qualification and its units (see
importer.py for the shape; data/diploma-*.json are examples)."""

from django.core.management.base import BaseCommand, CommandError

from carelead.apprenticeships.importer import ImportProblem, import_qualification_file


class Command(BaseCommand):
    help = ("Import a qualification (matched by specification number) and its units, matched by place; "
            "units no longer listed are retired, never deleted. All or nothing.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="the JSON file")

    def handle(self, *args, path, **options):
        try:
            report = import_qualification_file(path)
        except ImportProblem as problem:
            raise CommandError("Nothing was imported. Fix the file and run again:\n" + str(problem)) from problem
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Imported {report.label} from {path}."))
