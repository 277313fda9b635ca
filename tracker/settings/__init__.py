"""The settings modules, chosen the one way Django knows, DJANGO_SETTINGS_MODULE:
`tracker.settings.development` (manage.py's and the Celery app's default), `.test` (pytest's)
or `.production` (the WSGI/ASGI default). Each is a small override of `base`."""
