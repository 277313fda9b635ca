"""The reminder schedules, editable afterwards in admin (Periodic tasks)."""

from django.db import migrations

SCHEDULES = (
    # name, task, day_of_week
    ("Daily reminder sweep (08:00)", "programs.tasks.send_daily_reminders", "*"),
    ("Weekly managers' digest (Monday 08:00)", "programs.tasks.send_manager_digests", "1"),
)


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, day_of_week in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute="0", hour="8", day_of_week=day_of_week, day_of_month="*",
            month_of_year="*", timezone="Asia/Tokyo")
        PeriodicTask.objects.get_or_create(name=name, defaults={
            "task": task, "crontab": crontab, "enabled": True})


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, _task, _day in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
