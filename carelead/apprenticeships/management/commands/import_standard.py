"""`python manage.py import_standard <file.json>`: load standard versions in the official Skills England
JSON shape (reference/apprenticeship-standard.md §1.4), e.g. the file saved from
https://skillsengland.education.gov.uk/api/apprenticeshipstandards/ST0007 . See importer.py for
the shape and how KSBs are matched."""

from django.core.management.base import BaseCommand, CommandError

from carelead.apprenticeships.importer import ImportProblem, import_standard_file


class Command(BaseCommand):
    help = ("Import standard versions and their knowledge, skills and behaviours from JSON in the official "
            "shape (one version or a list). Official codes replace carelead's own without losing mappings; "
            "KSBs no longer listed are retired, never deleted. All or nothing.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="the JSON file")

    def handle(self, *args, path, **options):
        try:
            reports = import_standard_file(path)
        except ImportProblem as problem:
            raise CommandError("Nothing was imported. Fix the file and run again:\n" + str(problem)) from problem
        for report in reports:
            for line in report.lines():
                self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Imported {len(reports)} standard version(s) from {path}."))
