from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedListFilter(models.Model):
    """A list's filters as a person saved them under a name, to open again with one click.
    `path` is the list's address (set by the tracker, never taken from the request) and
    `query` its query string, re-encoded when saved."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                             on_delete=models.CASCADE, related_name="saved_list_filters")
    name = models.CharField(_("name"), max_length=80)
    path = models.CharField(_("list"), max_length=200)
    query = models.CharField(_("filters"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "path", "name"],
                                    name="saved_list_filter_unique_name"),
            models.CheckConstraint(condition=~models.Q(name=""),
                                   name="saved_list_filter_has_name",
                                   violation_error_message=_("Enter a name.")),
        ]

    def __str__(self):
        return self.name

    @property
    def url(self):
        return f"{self.path}?{self.query}" if self.query else self.path
