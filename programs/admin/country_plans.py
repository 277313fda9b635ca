from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..models import CountryAction, CountryPlan, CountryPlanField, WorkStatus
from ..selectors.access import country_actions_editable_by, sees_internal_tracking
from ..services.common import today
from ..services.work_items import country_action_update
from ..workflow import check_transition
from .access import ReferenceAdmin, WorkItemAdmin, WorkItemInline, may_work_on
from .imports import ImportButton
from .lists import FittedList, initiative_code
from .milestones import KeepsCurrentPeople, WorkOwnerChoices
from .saving import (
    ServiceErrorGuard,
    VersionedForm,
    changed_values,
    opened_version,
    record_nothing_saved,
    save_inline_forms,
)


class CountryActionForm(KeepsCurrentPeople, VersionedForm):
    class Meta:
        model = CountryAction
        fields = ("text_ja", "text_en", "owner", "status", "due_on", "completed_on")

    def clean(self):
        cleaned = super().clean()
        if "status" in cleaned:
            current = self.instance.status if self.instance.pk else WorkStatus.NOT_STARTED
            try:
                cleaned["completed_on"] = check_transition(
                    current=current, to=cleaned["status"],
                    completed_on=cleaned.get("completed_on"), today=today(),
                )
            except ValidationError as error:
                self.add_error("status", error)
        return cleaned


class CountryActionInline(WorkOwnerChoices, WorkItemInline):
    model = CountryAction
    form = CountryActionForm
    fields = ("order", "text_ja", "text_en", "owner", "status", "due_on", "completed_on",
              "opened_version")
    readonly_fields = ("order", "text_ja")

    def initiative_of(self, plan):
        return plan.initiative

    def has_add_permission(self, request, obj=None):
        return False  # the actions are the strategy's own bullets


class CountryPlanFieldInline(admin.TabularInline):
    model = CountryPlanField
    fields = ("order", "field", "mp_adopted")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("field")

    def has_view_permission(self, request, obj=None):
        return sees_internal_tracking(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CountryPlan)
class CountryPlanAdmin(ServiceErrorGuard, FittedList, ReferenceAdmin):
    list_display = ("country", "region", "initiative_code", "action_count")
    list_filter = ("country__region", "fields")
    list_select_related = ("country__region", "initiative")
    search_fields = ("country__name_ja", "country__name_en", "country__iso2", "fields_quote")
    readonly_fields = ("initiative", "country", "fields_quote")
    fields = readonly_fields
    inlines = (CountryPlanFieldInline, CountryActionInline)

    @admin.display(description=_("initiative"), ordering="initiative__code")
    def initiative_code(self, plan):
        return initiative_code(plan.initiative)

    @admin.display(description=_("region"), ordering="country__region__order")
    def region(self, plan):
        return plan.country.region

    @admin.display(description=_("actions"), ordering="action_count")
    def action_count(self, plan):
        return plan.action_count

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(action_count=Count("actions"))

    def has_change_permission(self, request, obj=None):
        # The plan's own fields are fixed; officers of its regional strategy save the page to
        # update its actions.
        if obj is None:
            return super().has_change_permission(request)
        return may_work_on(request, obj.initiative) or super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        """Nothing on the plan itself is editable here; its actions are saved below."""

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            if formset.model is CountryAction:
                save_inline_forms(formset, lambda form: country_action_update(
                    action=form.instance, by=request.user, data=changed_values(form),
                    expected_version=opened_version(form)))
            else:
                record_nothing_saved(formset)  # the fields inline is read-only


@admin.register(CountryAction)
class CountryActionAdmin(ImportButton, ServiceErrorGuard, WorkOwnerChoices, FittedList,
                         WorkItemAdmin):
    import_kind = "country-actions"
    editable_by = staticmethod(country_actions_editable_by)  # type: ignore[assignment]
    form = CountryActionForm
    list_display = ("short_text", "country", "owner", "status", "due_on")
    list_filter = ("status", "plan__country__region", "plan__country",
                   ("owner", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("plan__country", "owner")
    search_fields = ("text_ja", "text_en", "plan__country__name_ja")
    fields = ("plan", "order", "text_ja", "text_en", "owner", "status", "due_on",
              "completed_on", "opened_version")

    @admin.display(description=CountryAction._meta.get_field("text_ja").verbose_name)
    def short_text(self, action):
        return str(action)

    @admin.display(description=CountryPlan._meta.get_field("country").verbose_name,
                   ordering="plan__country__iso2")
    def country(self, action):
        return action.plan.country

    def get_readonly_fields(self, request, obj=None):
        return ("plan", "order", "text_ja")

    def has_add_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        country_action_update(action=obj, by=request.user, data=changed_values(form),
                              expected_version=opened_version(form))
