"""The experiment models, moved from the recommender app (issue #27).

Their tables stay where recommender/migrations/0003_experiments.py made them (each
model's Meta.db_table names the recommender_* table), so this migration only tells
Django's migration state that the models are now this app's: it runs no SQL. On a
new database the tables come from recommender 0003; on an existing one they and
their rows stay as they were. recommender/migrations/0008_experiments_move.py then
takes the models out of the recommender app's state.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("catalog", "0006_availability_check"),
        # The tables, made by recommender 0003, and the latest RecommendationSet.
        ("recommender", "0007_recommendationset_pool"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name='Experiment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                ('hypothesis', models.TextField(blank=True, default='', verbose_name='hypothesis')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('running', 'Running'), ('stopped', 'Stopped')], default='draft', max_length=16, verbose_name='status')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started')),
                ('stopped_at', models.DateTimeField(blank=True, null=True, verbose_name='stopped')),
                ('primary_metric', models.CharField(choices=[('satisfaction', 'List satisfaction (1-5)'), ('conversion', 'Conversion to a service not paid for'), ('ctr', 'Click-through (sets with a click-out)'), ('save_rate', 'Save rate'), ('dismissal_rate', 'Dismissal rate'), ('mean_rating', 'Mean rating of recommended movies')], default='satisfaction', max_length=32, verbose_name='primary metric')),
                ('minimum_detectable_effect', models.FloatField(default=0.05, help_text='Relative to control: 0.05 means a 5% change.', verbose_name='minimum detectable effect')),
                ('planned_sample_size', models.PositiveIntegerField(default=1000, help_text='Exposed users per variant before a winner may be called.', verbose_name='planned sample size')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'verbose_name': 'experiment',
                'verbose_name_plural': 'experiments',
                'db_table': 'recommender_experiment',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='SyntheticUser',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('run', models.CharField(max_length=64)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='synthetic', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'recommender_syntheticuser',
            },
        ),
        migrations.CreateModel(
            name='Variant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=64, verbose_name='name')),
                ('is_control', models.BooleanField(default=False, verbose_name='control')),
                ('weight', models.PositiveIntegerField(default=1, verbose_name='traffic weight')),
                ('config', models.JSONField(blank=True, default=dict, verbose_name='recommender configuration')),
                ('experiment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='variants', to='experiments.experiment')),
            ],
            options={
                'verbose_name': 'variant',
                'verbose_name_plural': 'variants',
                'db_table': 'recommender_variant',
                'ordering': ['experiment_id', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Event',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('impression', 'Impression'), ('detail_view', 'Detail view'), ('watchlist_add', 'Watchlist add'), ('rating', 'Rating'), ('dismissal', 'Dismissal'), ('click_out', 'Platform click-out'), ('satisfaction', 'List satisfaction')], max_length=16, verbose_name='kind')),
                ('surface', models.CharField(choices=[('page', 'Web page'), ('api', 'API')], max_length=8, verbose_name='surface')),
                ('platform_slug', models.CharField(blank=True, default='', max_length=64)),
                ('value', models.FloatField(blank=True, null=True)),
                ('data', models.JSONField(blank=True, default=dict)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('movie', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalog.movie')),
                ('recommendation_set', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='events', to='recommender.recommendationset')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('experiment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='experiments.experiment')),
                ('variant', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='experiments.variant')),
            ],
            options={
                'verbose_name': 'event',
                'verbose_name_plural': 'events',
                'db_table': 'recommender_event',
            },
        ),
        migrations.CreateModel(
            name='Assignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='first exposure')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('experiment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='experiments.experiment')),
                ('variant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='experiments.variant')),
            ],
            options={
                'verbose_name': 'assignment',
                'verbose_name_plural': 'assignments',
                'db_table': 'recommender_assignment',
            },
        ),
        migrations.AddConstraint(
            model_name='variant',
            constraint=models.UniqueConstraint(fields=('experiment', 'name'), name='variant_unique_name'),
        ),
        migrations.AddConstraint(
            model_name='variant',
            constraint=models.UniqueConstraint(condition=models.Q(('is_control', True)), fields=('experiment',), name='variant_one_control'),
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(fields=['experiment', 'kind'], name='event_experiment_kind'),
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(fields=['user', 'kind'], name='event_user_kind'),
        ),
        migrations.AddConstraint(
            model_name='event',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'impression')), fields=('recommendation_set', 'surface'), name='event_one_impression_per_surface'),
        ),
        migrations.AddConstraint(
            model_name='event',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'satisfaction')), fields=('recommendation_set',), name='event_one_satisfaction_per_set'),
        ),
        migrations.AddConstraint(
            model_name='event',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind__in', ['satisfaction', 'rating']), _negated=True), models.Q(('value__gte', 1), ('value__lte', 5)), _connector='OR'), name='event_score_1_to_5'),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['experiment', 'created_at'], name='assignment_day'),
        ),
        migrations.AddConstraint(
            model_name='assignment',
            constraint=models.UniqueConstraint(fields=('experiment', 'user'), name='assignment_unique_user'),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=state_operations, database_operations=[]
        )
    ]
