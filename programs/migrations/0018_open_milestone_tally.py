"""The open-work tally (programs.models.tally.OpenMilestoneTally), filled from the milestones,
and the triggers that keep it (programs.open_tally_sql)."""

from django.db import migrations, models

from programs.open_tally_sql import drop_statements, fill_statements, trigger_statements


def create_triggers(apps, schema_editor):
    for statement in [*fill_statements(),
                      *trigger_statements(schema_editor.connection.vendor)]:
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    for statement in drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0017_dates_in_range'),
    ]

    operations = [
        migrations.CreateModel(
            name='OpenMilestoneTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('place_kind', models.CharField(choices=[('all', 'All'), ('country', 'Country'), ('region', 'Region'), ('field', 'Strategic field')], max_length=10)),
                ('place_id', models.BigIntegerField()),
                ('planned_due_on', models.DateField()),
                ('n', models.IntegerField(default=0)),
            ],
            options={
                'verbose_name': 'open milestone tally',
                'constraints': [models.UniqueConstraint(fields=('place_kind', 'place_id', 'planned_due_on'), name='open_milestone_tally_key')],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
