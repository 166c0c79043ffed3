"""Clear ml-100k release dates that are not original release dates; admin labels.

A year stored as January 1 is not a date, and a date in another year than the
film's is a video or re-release date (see catalog.movielens.original_release_date).
Availability gets translatable field names and last_checked defaults to now.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models
from django.db.models import F, Q


def clear(apps, schema_editor):
    Movie = apps.get_model("catalog", "Movie")
    Movie.objects.filter(release_date__isnull=False).filter(
        Q(year__isnull=True)
        | ~Q(release_date__year=F("year"))
        | Q(release_date__month=1, release_date__day=1)
    ).update(release_date=None)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_ko_titles_platform_facts")]

    operations = [
        migrations.RunPython(clear, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="availability",
            name="last_checked",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="last checked"
            ),
        ),
        migrations.AlterField(
            model_name="availability",
            name="movie",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="availabilities",
                to="catalog.movie",
                verbose_name="movie",
            ),
        ),
        migrations.AlterField(
            model_name="availability",
            name="platform",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="availabilities",
                to="catalog.platform",
                verbose_name="platform",
            ),
        ),
    ]
