"""The "Leave a Reply" form: what a visitor types, checked before the service sees it."""

from __future__ import annotations

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from comments import antispam, registry
from comments.models import (
    MAX_BODY_LENGTH,
    MAX_EMAIL_LENGTH,
    MAX_NAME_LENGTH,
    MAX_URL_LENGTH,
)
from comments.notifications.forms import SubscriptionFields

# C0 and C1 control characters and the non-characters XML forbids; a comment body may keep tabs
# and line breaks.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffe\uffff]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
TAMPERED = _("This form was changed or is broken: go back to the page and send it again.")


def target_label(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def resolve_target(label: str):
    """Return the commentable object named by ``label`` ("app_label.model:12"), or None."""
    model_label, _, pk = label.rpartition(":")
    entry = registry.entry_for(model_label)
    if entry is None or not pk.isdigit():
        return None
    return entry.model._default_manager.filter(pk=int(pk)).first()


def _no_control_characters(pattern):
    def validate(value):
        if pattern.search(value or ""):
            raise ValidationError(
                _("Remove the control characters from this field."), code="control"
            )

    return validate


_no_controls = _no_control_characters(_CONTROL)


class WebURLField(forms.URLField):
    """A website address: http and https only, never ``javascript:``, ``data:`` or ``ftp:``."""

    default_validators = [URLValidator(schemes=["http", "https"])]
    default_error_messages = {
        "invalid": _("Enter a web address starting with http:// or https://.")
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class CommentForm(SubscriptionFields, forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=MAX_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[_no_control_characters(_CONTROL_IN_TEXT)],
        error_messages={"required": _("Please type your comment.")},
    )
    author_name = forms.CharField(
        label=_("Name"),
        max_length=MAX_NAME_LENGTH,
        required=False,
        validators=[_no_controls],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Please fill in your name.")},
    )
    author_email = forms.EmailField(
        label=_("E-mail"),
        max_length=MAX_EMAIL_LENGTH,
        required=False,
        help_text=_("Your e-mail address will not be published."),
        validators=[_no_controls],
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Please fill in your e-mail address.")},
    )
    author_url = WebURLField(
        label=_("Website"),
        max_length=MAX_URL_LENGTH,
        required=False,
        validators=[_no_controls],
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    remember = forms.BooleanField(
        label=_("Save my name, e-mail and website in this browser for the next time I comment."),
        required=False,
    )
    target = forms.CharField(widget=forms.HiddenInput, error_messages={"required": TAMPERED})
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, user=None, require_name_email=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.target_object = None
        self.signed_in = user is not None and user.is_authenticated
        self.fields[antispam.HONEYPOT_FIELD] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        if self.signed_in:
            for name in ("author_name", "author_email", "author_url", "remember"):
                del self.fields[name]
        elif require_name_email:
            self.fields["author_name"].required = True
            self.fields["author_email"].required = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # The template's own <form> carries the token.
        self.helper.layout = Layout(
            "body",
            *(
                []
                if self.signed_in
                else [
                    Div("author_name", "author_email", "author_url", css_class="comment-author"),
                    Field("remember", wrapper_class="comment-form-remember"),
                ]
            ),
            Div(antispam.HONEYPOT_FIELD, css_class="comment-form-hp", aria_hidden="true"),
            "target",
            "parent",
        )

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.cleaned_data.get(antispam.HONEYPOT_FIELD, "").strip())

    def clean_author_email(self):
        return self.cleaned_data["author_email"].lower()

    def clean_target(self):
        try:
            token = antispam.read_form_token(self.cleaned_data["target"])
        except antispam.TokenError:
            raise ValidationError(TAMPERED, code="tampered") from None
        self.target_object = resolve_target(token.target)
        if self.target_object is None:
            raise ValidationError(
                _("This page does not exist or does not take comments."), code="unknown"
            )
        age = token.age()
        if age < settings.COMMENTS_FORM_MIN_SECONDS:
            raise ValidationError(
                _(
                    "You sent your comment very quickly after the page opened. "
                    "Please check it and send it again."
                ),
                code="too_fast",
            )
        if age > settings.COMMENTS_FORM_MAX_AGE:
            raise ValidationError(
                _("This form has expired. Please check your comment and send it again."),
                code="expired",
            )
        return token

    def renew_token(self) -> None:
        """Give the re-shown form a fresh token, keeping everything the visitor typed."""
        if self.target_object is not None:
            self.data = self.data.copy()
            self.data["target"] = antispam.make_form_token(target_label(self.target_object))
