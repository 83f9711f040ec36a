"""What signing up asks besides the e-mail address and password (``ACCOUNT_SIGNUP_FORM_CLASS``)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from comments.forms import _CONTROL

# First and last name are stored apart, at most this long each (Django's User).
MAX_PART_LENGTH = 150


class SignUpForm(forms.Form):
    # allauth orders the sign-up form by this; fields a form lacks are skipped.
    field_order = ["name", "email", "password1", "password2"]

    # Without it the public name would be made from the e-mail address.
    name = forms.CharField(
        label=_("Name"),
        max_length=2 * MAX_PART_LENGTH,
        help_text=_("Shown with your comments."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Signing up through a provider: suggest the name it gave.
        if not self.initial.get("name"):
            parts = (self.initial.get("first_name"), self.initial.get("last_name"))
            self.initial["name"] = " ".join(part for part in parts if part)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if _CONTROL.search(name):
            raise ValidationError(_("Remove the control characters from your name."))
        first, _space, last = name.partition(" ")
        if len(first) > MAX_PART_LENGTH or len(last) > MAX_PART_LENGTH:
            raise ValidationError(_("This name is too long."))
        return name

    def signup(self, request, user) -> None:
        """Store the name as first and last name, whose join ``get_full_name`` gives back."""
        user.first_name, _, user.last_name = self.cleaned_data["name"].partition(" ")
        user.save(update_fields=["first_name", "last_name"])
