"""Who reviews registered exporters is a flag on the initiative, set for FOOD-EXPORT."""

from django.db import migrations, models

# The initiative whose officers reviewed registrations while that was a code in the program.
FOOD_EXPORT_PROGRAMME = 'FOOD-EXPORT'


def food_export_reviews(apps, schema_editor):
    apps.get_model('programs', 'Initiative').objects.filter(
        code=FOOD_EXPORT_PROGRAMME).update(reviews_exporter_registrations=True)


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0003_progress_reports_notices_and_published_measures'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalinitiative',
            name='reviews_exporter_registrations',
            field=models.BooleanField(default=False, help_text='Its owner and team members approve or reject the companies that register for the food-export programme.', verbose_name='reviews exporter registrations'),
        ),
        migrations.AddField(
            model_name='initiative',
            name='reviews_exporter_registrations',
            field=models.BooleanField(default=False, help_text='Its owner and team members approve or reject the companies that register for the food-export programme.', verbose_name='reviews exporter registrations'),
        ),
        migrations.RunPython(food_export_reviews, migrations.RunPython.noop),
    ]
