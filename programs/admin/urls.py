"""The managers' report pages, mounted under the admin's address by the project's urls."""

from django.contrib import admin
from django.urls import path

from .report_pages import initiative_report, portfolio_dashboard

urlpatterns = [
    path("", admin.site.admin_view(portfolio_dashboard), name="report-dashboard"),
    path("initiatives/<int:pk>/", admin.site.admin_view(initiative_report),
         name="report-initiative-page"),
]
