"""A list page with the signed-in person's saved filters at its top, and the two small forms
that save the filters in use under a name and forget one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..selectors.saved_filters import saved_filters_of
from ..services.saved_filters import saved_filter_delete, saved_filter_save


class SavedFilters:
    def _url_name(self, action):
        return f"{self.opts.app_label}_{self.opts.model_name}_{action}_filter"  # type: ignore[attr-defined]

    def list_path(self):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist",  # type: ignore[attr-defined]
                       current_app=self.admin_site.name)  # type: ignore[attr-defined]

    def get_urls(self):
        view = self.admin_site.admin_view  # type: ignore[attr-defined]
        return [
            path("saved-filters/", view(self.save_filter_view), name=self._url_name("save")),
            path("saved-filters/<int:pk>/delete/", view(self.delete_filter_view),
                 name=self._url_name("delete")),
            *super().get_urls(),  # type: ignore[misc]
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "saved_filters": list(saved_filters_of(request.user, self.list_path())),
            "saved_filter_urls": {action: f"admin:{self._url_name(action)}"
                                  for action in ("save", "delete")},
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)  # type: ignore[misc]

    @method_decorator(require_POST)
    def save_filter_view(self, request):
        if not self.has_view_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        query = request.POST.get("query", "")
        try:
            saved = saved_filter_save(user=request.user, path=self.list_path(),
                                      name=request.POST.get("name", ""), query=query)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(f"{self.list_path()}?{query}")
        messages.success(request, _("Filters saved as “%(name)s”.") % {"name": saved.name})
        return HttpResponseRedirect(saved.url)

    @method_decorator(require_POST)
    def delete_filter_view(self, request, pk):
        saved_filter_delete(user=request.user, saved_filter_id=pk)
        return HttpResponseRedirect(self.list_path())
