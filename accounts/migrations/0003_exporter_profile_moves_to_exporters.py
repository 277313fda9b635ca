"""ExporterProfile moves to the exporters app (exporters 0001 takes it over): gone from
accounts' state only, its tables stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_exporter_profile'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='HistoricalExporterProfile_product_categories'),
                migrations.DeleteModel(name='HistoricalExporterProfile_target_markets'),
                migrations.DeleteModel(name='HistoricalExporterProfile'),
                migrations.DeleteModel(name='ExporterProfile'),
            ],
            database_operations=[],
        ),
    ]
