from __future__ import annotations

from django.db import migrations

from catalog.platform_seed import PLATFORMS, platforms_create


def seed(apps, schema_editor):
    platforms_create(apps.get_model("catalog", "Platform"))


def unseed(apps, schema_editor):
    Platform = apps.get_model("catalog", "Platform")
    for region, slug, *_ in PLATFORMS:
        Platform.objects.filter(region=region, slug=slug).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_platform")]
    operations = [migrations.RunPython(seed, unseed)]
