"""Importing a spreadsheet in the admin: an "import" button on the list → upload → a preview
of every row (new / changed, with old → new / unchanged / refused, with the reason) → the
officer confirms → the accepted rows are written through the services in one transaction.

The uploaded file is kept on the server between the preview and the confirmation
(programs.imports.uploads): only its uploader can confirm it, for 30 minutes. Confirming plans
the file again and applies it only if the plan is still the one previewed; otherwise the new
preview is shown. We use openpyxl and our own views rather than django-import-export's import:
its flow saves rows through Model.save() (and previews by saving and rolling back), which would
bypass the services' rights, workflow, version check and history reason.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..imports.applying import import_apply
from ..imports.kind import ImportKind
from ..imports.kinds import KINDS
from ..imports.planning import CHANGED, NEW, REFUSED, UNCHANGED, ImportPlan, plan_import
from ..imports.reading import check_size, read_table
from ..imports.template import (
    partial_message,
    template_parts,
    template_records,
    template_response,
)
from ..imports.uploads import import_upload_discard, import_upload_keep, import_upload_of
from ..selectors.access import does_initiative_work


def outcome_label(outcome: str) -> str:
    return {NEW: _("New"), CHANGED: _("Changed"), UNCHANGED: _("Unchanged"),
            REFUSED: _("Refused")}[outcome]


class ImportButton:
    """Adds the import to a model's admin list: a button, and the upload, preview and template
    pages under the list's address (…/import/). `import_kind` names the kind of import."""

    import_kind: str
    change_list_template = "admin/imports/change_list.html"

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"  # type: ignore[attr-defined]
        wrap = self.admin_site.admin_view  # type: ignore[attr-defined]
        return [
            path("import/", wrap(self.import_upload_view), name=f"{prefix}_import"),
            path("import/template/", wrap(self.import_template_view),
                 name=f"{prefix}_import_template"),
            path("import/<uuid:token>/", wrap(self.import_preview_view),
                 name=f"{prefix}_import_preview"),
            *super().get_urls(),  # type: ignore[misc]
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}),
                         "import_allowed": does_initiative_work(request.user),
                         "import_label": import_button_label(self.kind)}
        return super().changelist_view(request, extra_context)  # type: ignore[misc]

    @property
    def kind(self) -> ImportKind:
        return KINDS[self.import_kind]

    def _url(self, name, *args):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}",  # type: ignore[attr-defined]
                       args=args)

    def _context(self, request, **context):
        return {**self.admin_site.each_context(request),  # type: ignore[attr-defined]
                "opts": self.opts, "kind": self.kind,  # type: ignore[attr-defined]
                "changelist_url": reverse(self.kind.changelist),
                "template_url": self._url("import_template"), **context}

    def _allowed(self, request):
        if not does_initiative_work(request.user):
            raise PermissionDenied

    def import_upload_view(self, request):
        self._allowed(request)
        error = None
        if request.method == "POST":
            upload = request.FILES.get("file")
            if upload is None:
                error = _("Choose a file to upload.")
            else:
                try:
                    check_size(upload.size)
                    content = upload.read()
                    read_table(content)
                except ValidationError as problem:
                    error = " ".join(problem.messages)
                else:
                    kept = import_upload_keep(user=request.user, kind=self.kind.key,
                                              file_name=upload.name, content=content)
                    return redirect(self._url("import_preview", kept.token))
        return TemplateResponse(request, "admin/imports/upload.html", self._context(
            request, title=import_button_label(self.kind), error=error,
            limits=limits_text(), **self._parts(request)), status=400 if error else 200)

    def _parts(self, request) -> dict:
        """When the officer's records are more than a file holds: say so, and offer the
        template a part (e.g. an initiative) at a time."""
        total = template_records(self.kind, request.user).count()
        if total <= settings.IMPORT_MAX_ROWS:
            return {}
        parameter, url = self.kind.narrowed_by[0], self._url("import_template")
        return {"partial_message": partial_message(
                    self.kind, rows=settings.IMPORT_MAX_ROWS, total=total),
                "template_parts": [
                    (code, records, f"{url}?{urlencode({parameter: code})}")
                    for code, records in template_parts(self.kind, request.user)]}

    def import_preview_view(self, request, token):
        self._allowed(request)
        upload = import_upload_of(user=request.user, kind=self.kind.key, token=token)
        if upload is None:
            messages.error(request, _("The uploaded file has expired or is not yours. Upload "
                                      "it again."))
            return redirect(self._url("import"))
        content = bytes(upload.content)
        try:
            plan = plan_import(kind=self.kind, table=read_table(content), user=request.user)
        except ValidationError as problem:
            messages.error(request, " ".join(problem.messages))
            return redirect(self._url("import"))
        changed_since = False
        if request.method == "POST":
            if request.POST.get("fingerprint") == plan.fingerprint():
                return self._apply(request, plan, upload, content)
            changed_since = True
        return TemplateResponse(request, "admin/imports/preview.html", self._context(
            request, title=_("Check the import: %(file)s") % {"file": upload.file_name},
            plan=plan, rows=preview_rows(plan), counts=counted(plan), upload=upload,
            fingerprint=plan.fingerprint(), changed_since=changed_since,
            accepted_count=len(plan.accepted()),
            cancel_url=self._url("import")))

    def _apply(self, request, plan: ImportPlan, upload, content: bytes):
        try:
            written = import_apply(plan=plan, by=request.user, file_name=upload.file_name,
                                   content=content)
        except ValidationError as problem:
            messages.error(request, " ".join(problem.messages))
            return HttpResponseRedirect(request.path)
        import_upload_discard(upload=upload)
        messages.success(request, ngettext(
            "%(count)s row of %(file)s imported.", "%(count)s rows of %(file)s imported.",
            written) % {"count": written, "file": upload.file_name})
        return redirect(self.kind.changelist)

    def import_template_view(self, request):
        self._allowed(request)
        return template_response(self.kind, request.user, blank=request.GET.get("blank") == "1",
                                 narrowed_to=request.GET.get(self.kind.narrowed_by[0]))


def import_button_label(kind: ImportKind) -> str:
    return _("Import %(things)s") % {"things": kind.title}


def limits_text() -> str:
    return _("XLSX or CSV (UTF-8 or Shift_JIS), at most %(megabytes)s MB and %(rows)s rows; "
             "no formulas, macros, hidden sheets or merged cells.") % {
        "megabytes": f"{settings.IMPORT_MAX_BYTES / 1024 / 1024:g}",
        "rows": f"{settings.IMPORT_MAX_ROWS:,}"}


def counted(plan: ImportPlan) -> list[tuple[str, str, int]]:
    return [(outcome, outcome_label(outcome), count)
            for outcome, count in plan.counts().items()]


def preview_rows(plan: ImportPlan) -> list[dict]:
    return [{"row": row.row, "outcome": row.outcome, "label": outcome_label(row.outcome),
             "describes": row.describes, "changes": row.changes, "message": row.message}
            for row in plan.rows]
