from rest_framework import serializers

from accounts.models import Organisation, User
from tracker.api.inputs import StrictInput


class OrganisationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ("id", "code", "name_ja", "name_en", "abbreviation")


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ("id", "code", "kind", "name_ja", "name_en", "abbreviation", "source_quote")


class UserBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = User
        fields = ("id", "username", "name")


class MeSerializer(serializers.ModelSerializer):
    organisation = OrganisationBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ("id", "username", "first_name", "last_name", "email", "role", "language",
                  "organisation")


class TextOnlyField(serializers.CharField):
    """A string, never a number made into one (a code's leading zeros would be lost)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class TokenInput(StrictInput):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False,
                                     style={"input_type": "password"})
    otp_token = TextOnlyField(
        max_length=32, required=False,
        help_text="The code of an authenticator app (six digits) or an unused backup code: "
                  "required for accounts that sign in with a second factor.")


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
