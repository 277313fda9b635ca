"""`{{ form|error_count }}`: how many problems the error summary above a form lists — each
message, not each field (a new password can have four)."""

from django import forms, template

register = template.Library()


@register.filter
def error_count(form: forms.BaseForm) -> int:
    return sum(len(errors) for errors in form.errors.values())
