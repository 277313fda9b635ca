"""Admin forms save through the services, never through `form.save()`."""


def changed_values(form):
    return {name: form.cleaned_data[name] for name in form.changed_data}


def record_nothing_saved(formset):
    """Tell Django admin's change message that `formset` saved nothing (yet)."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


def save_inline_forms(formset, save_one):
    """Save each changed form of `formset` with `save_one(form)`, and record what was saved the
    way Django admin expects for its change message."""
    record_nothing_saved(formset)
    for form in formset.forms:
        if not form.has_changed():
            continue
        is_new = form.instance.pk is None
        saved = save_one(form)
        if is_new:
            formset.new_objects.append(saved)
        else:
            formset.changed_objects.append((saved, form.changed_data))
