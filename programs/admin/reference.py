"""Reference data: geography, fields, KPIs and the exporters' support measures."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tracker.admin_tools import ListsReadAsText

from ..models import (
    KPI,
    Country,
    KPIMeasurement,
    ProductCategory,
    Region,
    StrategicField,
    SupportMeasure,
)
from ..reporting.labels import quantity, unit_label
from ..selectors.access import can_record_kpi_measurements, is_administrator
from ..services.work_items import kpi_measurement_record
from .access import ReferenceAdmin, WorkItemInline
from .imports import ImportButton
from .lists import FittedList, initiative_code
from .saving import ServiceErrorGuard, VersionedForm, opened_version, save_inline_forms


@admin.register(Region)
class RegionAdmin(ReferenceAdmin):
    list_display = ("order", "code", "name_ja", "name_en")
    search_fields = ("code", "name_ja", "name_en")


@admin.register(Country)
class CountryAdmin(ReferenceAdmin):
    list_display = ("iso2", "name_ja", "name_en", "region")
    list_filter = ("region",)
    list_select_related = ("region",)
    search_fields = ("iso2", "name_ja", "name_en")


@admin.register(StrategicField)
class StrategicFieldAdmin(ListsReadAsText, ReferenceAdmin):
    list_display = ("code", "name_ja", "name_en", "variants_text")
    search_fields = ("code", "name_ja", "name_en", "variants")
    lists_read_as_text = {"variants": "variants_text"}

    @admin.display(description=_("other spellings"))
    def variants_text(self, field):
        return self.list_text(field.variants)


class KPIMeasurementForm(VersionedForm):
    class Meta:
        model = KPIMeasurement
        fields = ("period_on", "value", "source")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A recorded period stays what it is; a different period is a new row.
            self.fields["period_on"].disabled = True


class KPIMeasurementInline(WorkItemInline):
    model = KPIMeasurement
    form = KPIMeasurementForm
    fields = ("period_on", "value", "source", "recorded_by", "opened_version")
    readonly_fields = ("recorded_by",)
    ordering = ("period_on",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and "value" in formset.form.base_fields:
            # A 3 typed for a KPI in 10億ドル is 30億ドル: the column says which unit.
            field = formset.form.base_fields["value"]
            field.label = _("%(label)s (%(unit)s)") % {"label": field.label,
                                                       "unit": unit_label(obj.unit)}
        return formset

    def _may_change(self, request, kpi):
        return kpi is not None and can_record_kpi_measurements(request.user, kpi)


READ_AS_WRITTEN = {"baseline_value": "baseline", "target_value": "target"}


@admin.register(KPI)
class KPIAdmin(ImportButton, ServiceErrorGuard, FittedList, ReferenceAdmin):
    import_kind = "kpi-measurements"  # the button imports measurements
    list_display = ("code", "name_ja", "baseline", "baseline_year", "target", "target_year",
                    "initiative_code")
    list_filter = ("unit", "direction")
    list_select_related = ("initiative",)
    search_fields = ("code", "name_ja", "name_en", "source_quote")
    inlines = (KPIMeasurementInline,)

    @admin.display(description=_("initiative"), ordering="initiative__code")
    def initiative_code(self, kpi):
        return initiative_code(kpi.initiative)

    # Figures as people write them, with their unit (1.7兆円, 50,000人), not 1.7000.
    @admin.display(description=_("baseline value"), ordering="baseline_value")
    def baseline(self, kpi):
        return quantity(kpi.baseline_value, kpi.unit) or self.get_empty_value_display()

    @admin.display(description=_("target value"), ordering="target_value")
    def target(self, kpi):
        return quantity(kpi.target_value, kpi.unit) or self.get_empty_value_display()

    def has_change_permission(self, request, obj=None):
        # Officers of the KPI's initiative record measurements; its definition stays fixed.
        if obj is not None and can_record_kpi_measurements(request.user, obj):
            return True
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if is_administrator(request.user):
            return ()
        # Read only, the figures read as in the list (100億ドル, not 10.0000).
        return [READ_AS_WRITTEN.get(f.name, f.name) for f in KPI._meta.fields
                if f.name != "id"]

    def get_fields(self, request, obj=None):
        if is_administrator(request.user):
            return super().get_fields(request, obj)
        return self.get_readonly_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if is_administrator(request.user):
            super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        def record(measurement_form):
            data = measurement_form.cleaned_data
            measurement, _created = kpi_measurement_record(
                kpi=form.instance, by=request.user, period_on=data["period_on"],
                value=data["value"], source=data.get("source", ""),
                expected_version=opened_version(measurement_form))
            return measurement

        save_inline_forms(formset, record)


@admin.register(ProductCategory)
class ProductCategoryAdmin(ReferenceAdmin):
    list_display = ("order", "code", "name_ja", "name_en")


@admin.register(SupportMeasure)
class SupportMeasureAdmin(ReferenceAdmin):
    """Registered in its place by the exporters app, which tells exporters what fits them."""

    list_display = ("code", "name_ja", "kind", "provider", "opens_on", "closes_on",
                    "is_published")
    list_filter = ("is_published", "kind", "provider", "product_categories", "target_markets")
    list_select_related = ("provider",)
    search_fields = ("code", "name_ja", "name_en", "summary_ja")
    filter_horizontal = ("product_categories", "target_markets")
