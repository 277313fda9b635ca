"""Reminders: a delivery hour per person, backoff with a per-initiative limit, the outbox's
"not before", the report-reviewed kind; the sweep hourly and the outbox flushed every minute."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


# The sweep runs hourly (each person's reminders go out at their own hour, and a killed sweep
# resumes within the hour); the outbox is flushed every minute.
SWEEP = ("Daily reminder sweep (08:00)", "Reminder sweep (hourly; each person at their hour)")
FLUSH = "Outbox flush (every minute)"


def schedule_sweep_hourly_and_flush(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    hourly, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="*", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Tokyo")
    PeriodicTask.objects.filter(name=SWEEP[0]).update(name=SWEEP[1], crontab=hourly)
    PeriodicTask.objects.get_or_create(name=SWEEP[1], defaults={
        "task": "programs.tasks.send_daily_reminders", "crontab": hourly, "enabled": True})
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(name=FLUSH, defaults={
        "task": "programs.tasks.flush_outbox", "interval": every_minute, "enabled": True})


def schedule_sweep_daily_without_flush(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    daily, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="8", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Tokyo")
    PeriodicTask.objects.filter(name=SWEEP[1]).update(name=SWEEP[0], crontab=daily)
    PeriodicTask.objects.filter(name=FLUSH).delete()



class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_exporter_profile'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('programs', '0004_initiative_reviews_exporter_registrations'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('django_celery_beat', '0019_alter_periodictasks_options'),
    ]

    operations = [
        migrations.CreateModel(
            name='ReminderTime',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('hour', models.PositiveSmallIntegerField(default=8, help_text='0 to 23, Japan time.', verbose_name='hour')),
            ],
            options={
                'verbose_name': 'reminder time',
                'verbose_name_plural': 'reminder times',
            },
        ),
        migrations.RemoveConstraint(
            model_name='delivery',
            name='delivery_kind_valid',
        ),
        migrations.RemoveConstraint(
            model_name='notificationpreference',
            name='preference_kind_valid',
        ),
        migrations.AddField(
            model_name='delivery',
            name='digest_item',
            field=models.JSONField(blank=True, default=dict, verbose_name='digest line'),
        ),
        migrations.AddField(
            model_name='delivery',
            name='not_before',
            field=models.DateTimeField(blank=True, null=True, verbose_name='not before'),
        ),
        migrations.AddField(
            model_name='historicalinitiative',
            name='reminder_owner_limit',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Empty: the site-wide setting.', null=True, verbose_name="reminders to a milestone's owner before escalation carries it"),
        ),
        migrations.AddField(
            model_name='initiative',
            name='reminder_owner_limit',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Empty: the site-wide setting.', null=True, verbose_name="reminders to a milestone's owner before escalation carries it"),
        ),
        migrations.AlterField(
            model_name='delivery',
            name='kind',
            field=models.CharField(choices=[('due_soon', 'Due soon'), ('overdue', 'Overdue'), ('stale', 'No recent status update'), ('report_due', 'Progress report due'), ('report_reviewed', 'Progress report approved or returned'), ('manager_digest', 'Manager digest'), ('new_support_measure', 'New support measure for you'), ('account', 'Your account'), ('daily_digest', 'Daily digest of reminders')], max_length=20, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='delivery',
            name='status',
            field=models.CharField(choices=[('pending', 'Pending'), ('sending', 'Handing over'), ('sent', 'Sent'), ('bundled', 'Sent in a digest'), ('failed', 'Failed')], default='pending', max_length=20, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=[('due_soon', 'Due soon'), ('overdue', 'Overdue'), ('stale', 'No recent status update'), ('report_due', 'Progress report due'), ('report_reviewed', 'Progress report approved or returned'), ('manager_digest', 'Manager digest'), ('new_support_measure', 'New support measure for you'), ('account', 'Your account'), ('daily_digest', 'Daily digest of reminders')], max_length=20, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='notificationpreference',
            name='frequency',
            field=models.CharField(choices=[('immediate', 'Immediately'), ('daily_digest', 'In one daily digest')], default='daily_digest', max_length=20, verbose_name='frequency'),
        ),
        migrations.AlterField(
            model_name='notificationpreference',
            name='kind',
            field=models.CharField(choices=[('due_soon', 'Due soon'), ('overdue', 'Overdue'), ('stale', 'No recent status update'), ('report_due', 'Progress report due'), ('report_reviewed', 'Progress report approved or returned'), ('manager_digest', 'Manager digest'), ('new_support_measure', 'New support measure for you'), ('account', 'Your account'), ('daily_digest', 'Daily digest of reminders')], max_length=20, verbose_name='kind'),
        ),
        migrations.AddIndex(
            model_name='delivery',
            index=models.Index(fields=['status', 'not_before'], name='delivery_status_due'),
        ),
        migrations.AddConstraint(
            model_name='delivery',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['due_soon', 'overdue', 'stale', 'report_due', 'report_reviewed', 'manager_digest', 'new_support_measure', 'account', 'daily_digest'])), name='delivery_kind_valid'),
        ),
        migrations.AddConstraint(
            model_name='initiative',
            constraint=models.CheckConstraint(condition=models.Q(('reminder_owner_limit__isnull', True), ('reminder_owner_limit__gte', 1), _connector='OR'), name='initiative_owner_limit_positive'),
        ),
        migrations.AddConstraint(
            model_name='notificationpreference',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['due_soon', 'overdue', 'stale', 'report_due', 'report_reviewed', 'manager_digest', 'new_support_measure', 'account', 'daily_digest'])), name='preference_kind_valid'),
        ),
        migrations.AddField(
            model_name='remindertime',
            name='user',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='reminder_time', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='remindertime',
            constraint=models.CheckConstraint(condition=models.Q(('hour__lte', 23)), name='reminder_hour_of_day'),
        ),
        migrations.RunPython(schedule_sweep_hourly_and_flush,
                             schedule_sweep_daily_without_flush),
    ]
