"""The milestone tallies (programs.models.tally), filled from the milestones, and the
triggers that keep them (programs.tally_sql)."""

from django.conf import settings
from django.db import migrations, models

from programs.tally_sql import drop_statements, fill_statements, trigger_statements


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in [*fill_statements(vendor), *trigger_statements(vendor)]:
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    for statement in drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0014_constraint_messages'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='MilestoneMonthTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('initiative_id', models.BigIntegerField()),
                ('series', models.CharField(choices=[('planned', 'Planned'), ('done', 'Done')], max_length=10)),
                ('month', models.DateField()),
                ('n', models.IntegerField(default=0)),
            ],
            options={
                'verbose_name': 'milestone month tally',
            },
        ),
        migrations.CreateModel(
            name='MilestoneTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('initiative_id', models.BigIntegerField()),
                ('project_key', models.BigIntegerField()),
                ('total', models.IntegerField(default=0)),
                ('status_not_started', models.IntegerField(default=0)),
                ('status_in_progress', models.IntegerField(default=0)),
                ('status_blocked', models.IntegerField(default=0)),
                ('status_done', models.IntegerField(default=0)),
                ('status_cancelled', models.IntegerField(default=0)),
                ('health_green', models.IntegerField(default=0)),
                ('health_amber', models.IntegerField(default=0)),
                ('health_red', models.IntegerField(default=0)),
                ('slipped', models.IntegerField(default=0)),
                ('slip_days', models.IntegerField(default=0)),
                ('percent_sum', models.IntegerField(default=0)),
            ],
            options={
                'verbose_name': 'milestone tally',
            },
        ),
        migrations.AddIndex(
            model_name='milestone',
            index=models.Index(condition=models.Q(('completed_on__isnull', False)), fields=['completed_on'], name='milestone_completed'),
        ),
        migrations.AddConstraint(
            model_name='milestonemonthtally',
            constraint=models.UniqueConstraint(fields=('initiative_id', 'series', 'month'), name='milestone_month_tally_key'),
        ),
        migrations.AddConstraint(
            model_name='milestonetally',
            constraint=models.UniqueConstraint(fields=('initiative_id', 'project_key'), name='milestone_tally_key'),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
