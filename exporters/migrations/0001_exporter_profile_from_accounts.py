"""ExporterProfile, moved here from accounts (accounts 0003 let go of it) with its rows: the
model keeps its tables (db_table), except the history's many-to-many tables, which
django-simple-history names after the app and which are renamed. The content types follow,
and with them the permissions given to groups and the admin's log."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import exporters.validators

MOVED_MODELS = ('exporterprofile', 'historicalexporterprofile',
                'historicalexporterprofile_product_categories',
                'historicalexporterprofile_target_markets')


def move_content_types(from_app, to_app):
    def move(apps, schema_editor):
        content_types = apps.get_model('contenttypes', 'ContentType').objects.using(
            schema_editor.connection.alias)
        for model in MOVED_MODELS:
            if not content_types.filter(app_label=to_app, model=model).exists():
                content_types.filter(app_label=from_app, model=model).update(app_label=to_app)
    return move


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0003_exporter_profile_moves_to_exporters'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('programs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ExporterProfile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('company_name', models.CharField(max_length=200, verbose_name='company name')),
                        ('company_name_en', models.CharField(blank=True, max_length=200, verbose_name='company name (English)')),
                        ('corporate_number', models.CharField(max_length=13, unique=True, validators=[exporters.validators.validate_corporate_number], verbose_name='corporate number (法人番号)')),
                        ('prefecture', models.CharField(choices=[('01', '北海道'), ('02', '青森県'), ('03', '岩手県'), ('04', '宮城県'), ('05', '秋田県'), ('06', '山形県'), ('07', '福島県'), ('08', '茨城県'), ('09', '栃木県'), ('10', '群馬県'), ('11', '埼玉県'), ('12', '千葉県'), ('13', '東京都'), ('14', '神奈川県'), ('15', '新潟県'), ('16', '富山県'), ('17', '石川県'), ('18', '福井県'), ('19', '山梨県'), ('20', '長野県'), ('21', '岐阜県'), ('22', '静岡県'), ('23', '愛知県'), ('24', '三重県'), ('25', '滋賀県'), ('26', '京都府'), ('27', '大阪府'), ('28', '兵庫県'), ('29', '奈良県'), ('30', '和歌山県'), ('31', '鳥取県'), ('32', '島根県'), ('33', '岡山県'), ('34', '広島県'), ('35', '山口県'), ('36', '徳島県'), ('37', '香川県'), ('38', '愛媛県'), ('39', '高知県'), ('40', '福岡県'), ('41', '佐賀県'), ('42', '長崎県'), ('43', '熊本県'), ('44', '大分県'), ('45', '宮崎県'), ('46', '鹿児島県'), ('47', '沖縄県')], max_length=2, verbose_name='prefecture')),
                        ('contact_name', models.CharField(max_length=100, verbose_name='contact person')),
                        ('status', models.CharField(choices=[('pending_verification', 'E-mail not yet confirmed'), ('pending_approval', 'Awaiting approval'), ('approved', 'Approved'), ('rejected', 'Rejected')], default='pending_verification', max_length=30, verbose_name='status')),
                        ('consented_at', models.DateTimeField(verbose_name='consented at')),
                        ('email_verified_at', models.DateTimeField(blank=True, null=True, verbose_name='e-mail confirmed at')),
                        ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='reviewed at')),
                        ('rejection_reason', models.TextField(blank=True, verbose_name='reason for rejection')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='registered at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('product_categories', models.ManyToManyField(db_table='accounts_exporterprofile_product_categories', related_name='exporters', to='programs.productcategory', verbose_name='product categories')),
                        ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by')),
                        ('target_markets', models.ManyToManyField(db_table='accounts_exporterprofile_target_markets', related_name='exporters', to='programs.country', verbose_name='target markets')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='exporter_profile', to=settings.AUTH_USER_MODEL, verbose_name='account')),
                    ],
                    options={
                        'verbose_name': 'registered exporter',
                        'verbose_name_plural': 'registered exporters',
                        'db_table': 'accounts_exporterprofile',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalExporterProfile',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('company_name', models.CharField(max_length=200, verbose_name='company name')),
                        ('company_name_en', models.CharField(blank=True, max_length=200, verbose_name='company name (English)')),
                        ('corporate_number', models.CharField(db_index=True, max_length=13, validators=[exporters.validators.validate_corporate_number], verbose_name='corporate number (法人番号)')),
                        ('prefecture', models.CharField(choices=[('01', '北海道'), ('02', '青森県'), ('03', '岩手県'), ('04', '宮城県'), ('05', '秋田県'), ('06', '山形県'), ('07', '福島県'), ('08', '茨城県'), ('09', '栃木県'), ('10', '群馬県'), ('11', '埼玉県'), ('12', '千葉県'), ('13', '東京都'), ('14', '神奈川県'), ('15', '新潟県'), ('16', '富山県'), ('17', '石川県'), ('18', '福井県'), ('19', '山梨県'), ('20', '長野県'), ('21', '岐阜県'), ('22', '静岡県'), ('23', '愛知県'), ('24', '三重県'), ('25', '滋賀県'), ('26', '京都府'), ('27', '大阪府'), ('28', '兵庫県'), ('29', '奈良県'), ('30', '和歌山県'), ('31', '鳥取県'), ('32', '島根県'), ('33', '岡山県'), ('34', '広島県'), ('35', '山口県'), ('36', '徳島県'), ('37', '香川県'), ('38', '愛媛県'), ('39', '高知県'), ('40', '福岡県'), ('41', '佐賀県'), ('42', '長崎県'), ('43', '熊本県'), ('44', '大分県'), ('45', '宮崎県'), ('46', '鹿児島県'), ('47', '沖縄県')], max_length=2, verbose_name='prefecture')),
                        ('contact_name', models.CharField(max_length=100, verbose_name='contact person')),
                        ('status', models.CharField(choices=[('pending_verification', 'E-mail not yet confirmed'), ('pending_approval', 'Awaiting approval'), ('approved', 'Approved'), ('rejected', 'Rejected')], default='pending_verification', max_length=30, verbose_name='status')),
                        ('consented_at', models.DateTimeField(verbose_name='consented at')),
                        ('email_verified_at', models.DateTimeField(blank=True, null=True, verbose_name='e-mail confirmed at')),
                        ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='reviewed at')),
                        ('rejection_reason', models.TextField(blank=True, verbose_name='reason for rejection')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='registered at')),
                        ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated at')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('reviewed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by')),
                        ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='account')),
                    ],
                    options={
                        'verbose_name': 'historical registered exporter',
                        'verbose_name_plural': 'historical registered exporters',
                        'db_table': 'accounts_historicalexporterprofile',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalExporterProfile_product_categories',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('exporterprofile', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='exporters.exporterprofile')),
                        ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='exporters.historicalexporterprofile')),
                        ('productcategory', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programs.productcategory')),
                    ],
                    options={
                        'verbose_name': 'HistoricalExporterProfile_product_categories',
                'db_table': 'accounts_historicalexporterprofile_product_categories',
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalExporterProfile_target_markets',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('country', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programs.country')),
                        ('exporterprofile', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='exporters.exporterprofile')),
                        ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='exporters.historicalexporterprofile')),
                    ],
                    options={
                        'verbose_name': 'HistoricalExporterProfile_target_markets',
                'db_table': 'accounts_historicalexporterprofile_target_markets',
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AddConstraint(
                    model_name='exporterprofile',
                    constraint=models.CheckConstraint(condition=models.Q(('corporate_number__regex', '^[0-9]{13}$')), name='exporter_corporate_number_13_digits'),
                ),
                migrations.AddConstraint(
                    model_name='exporterprofile',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['pending_verification', 'pending_approval', 'approved', 'rejected'])), name='exporter_status_valid'),
                ),
                migrations.AddConstraint(
                    model_name='exporterprofile',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'rejected'), _negated=True), models.Q(('rejection_reason', ''), _negated=True), _connector='OR'), name='exporter_rejection_has_reason'),
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name='historicalexporterprofile_product_categories',
                                   table=None),
        migrations.AlterModelTable(name='historicalexporterprofile_target_markets',
                                   table=None),
        migrations.RunPython(move_content_types('accounts', 'exporters'),
                             move_content_types('exporters', 'accounts')),
    ]
