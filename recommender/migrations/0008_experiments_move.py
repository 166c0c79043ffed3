"""The experiment models move to the experiments app (issue #27): no SQL runs.

experiments/migrations/0001_initial.py has added them to that app's state over the
same tables; this migration points RecommendationSet's two foreign keys at them
and removes the recommender app's copies from the state. The database keeps its
tables, rows and constraints (the foreign keys already point at those tables).

The content types of the five models are relabelled to the new app, so that
permissions given on them and the admin's history of them stay attached.
"""

import django.db.models.deletion
from django.db import migrations, models

MODELS = ("experiment", "variant", "assignment", "event", "syntheticuser")


def _relabel(apps, schema_editor, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        # Already there (the new app's were made first): the old one stays stale.
        if not types.filter(app_label=new, model=model).exists():
            types.filter(app_label=old, model=model).update(app_label=new)
    ContentType.objects.clear_cache()


def content_types_move(apps, schema_editor):
    _relabel(apps, schema_editor, "recommender", "experiments")


def content_types_move_back(apps, schema_editor):
    _relabel(apps, schema_editor, "experiments", "recommender")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("experiments", "0001_initial"),
        ("recommender", "0007_recommendationset_pool"),
    ]

    state_operations = [
        migrations.AlterField(
            model_name="recommendationset",
            name="experiment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="experiments.experiment",
            ),
        ),
        migrations.AlterField(
            model_name="recommendationset",
            name="variant",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="recommendation_sets",
                to="experiments.variant",
            ),
        ),
        migrations.DeleteModel(name="Assignment"),
        migrations.DeleteModel(name="Event"),
        migrations.DeleteModel(name="SyntheticUser"),
        migrations.DeleteModel(name="Variant"),
        migrations.DeleteModel(name="Experiment"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=state_operations, database_operations=[]
        ),
        migrations.RunPython(content_types_move, content_types_move_back),
    ]
