from django.urls import path

from .unsubscribe import unsubscribe

urlpatterns = [
    path("unsubscribe/<str:token>/", unsubscribe, name="reminders-unsubscribe"),
]
