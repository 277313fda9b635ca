from rest_framework import serializers

from accounts.models import Language
from programs.models import ProductCategory
from tracker.api.inputs import (
    CodeField,
    DjangoValidator,
    OneLineField,
    StrictBooleanField,
    StrictChoiceField,
    StrictInput,
)

from ..models import ExporterProfile
from ..prefectures import Prefecture
from ..selectors import export_markets
from ..validators import validate_corporate_number


class ExporterProfileSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    language = serializers.CharField(source="user.language", read_only=True)
    product_categories = serializers.SlugRelatedField(slug_field="code", many=True,  # type: ignore[var-annotated]
                                                      read_only=True)
    target_markets = serializers.SlugRelatedField(slug_field="iso2", many=True, read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = ExporterProfile
        fields = ("id", "company_name", "company_name_en", "corporate_number", "prefecture",
                  "contact_name", "email", "language", "product_categories", "target_markets",
                  "status", "email_verified_at", "reviewed_at", "rejection_reason",
                  "created_at", "updated_at")


class ExporterProfileInput(StrictInput):
    """What a company may change on its own profile (the corporate number is fixed)."""

    company_name = OneLineField(max_length=200)
    company_name_en = OneLineField(max_length=200, required=False, allow_blank=True)
    prefecture = StrictChoiceField(choices=Prefecture.choices)
    contact_name = OneLineField(max_length=100)
    product_categories = CodeField(
        slug_field="code", many=True, queryset=ProductCategory.objects.all(), allow_empty=False)
    target_markets = CodeField(
        slug_field="iso2", many=True, queryset=export_markets(), allow_empty=False)
    language = StrictChoiceField(choices=Language.choices, required=False)


class ExporterRegistrationInput(ExporterProfileInput):
    corporate_number = serializers.CharField(max_length=30, validators=[
        DjangoValidator(validate_corporate_number)])
    # The address is also the user name, which holds 150 characters.
    email = serializers.EmailField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False,
                                     style={"input_type": "password"})
    # Must be true: exporter_register says so, for the web form too.
    consent = StrictBooleanField()


class VerificationInput(StrictInput):
    token = serializers.CharField(max_length=1000)


class RejectionInput(StrictInput):
    reason = serializers.CharField(max_length=5000)
