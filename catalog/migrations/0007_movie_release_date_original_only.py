"""Clear ml-100k release dates that are not original release dates.

A year stored as January 1 is not a date, and a date in another year than the
film's is a video or re-release date (see catalog.movielens.original_release_date).
"""

from django.db import migrations
from django.db.models import F, Q


def clear(apps, schema_editor):
    Movie = apps.get_model("catalog", "Movie")
    Movie.objects.filter(release_date__isnull=False).filter(
        Q(year__isnull=True)
        | ~Q(release_date__year=F("year"))
        | Q(release_date__month=1, release_date__day=1)
    ).update(release_date=None)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_availability_check")]

    operations = [migrations.RunPython(clear, migrations.RunPython.noop)]
