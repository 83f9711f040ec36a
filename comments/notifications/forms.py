"""The subscription fields of the comment form, and the forms of the mail and privacy pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from comments.models import MAX_EMAIL_LENGTH
from comments.notifications.models import MailPreference
from comments.notifications.subscriptions import FOLLOWUP_CHOICES


class SubscriptionFields(forms.Form):
    """The comment form's "notify me" fields (``CommentForm`` inherits them)."""

    notify_followup = forms.ChoiceField(
        label=_("Notify me of follow-up comments by e-mail"),
        choices=FOLLOWUP_CHOICES,
        required=False,
    )
    notify_posts = forms.BooleanField(
        label=_("Notify me of new posts by e-mail"),
        required=False,
        help_text=_(
            "We first send you an e-mail to confirm; nothing else comes before you click its "
            "link, and every e-mail has a one-click unsubscribe link."
        ),
    )

    def clean(self):
        cleaned_data = super().clean()
        wants_mail = cleaned_data.get("notify_followup") or cleaned_data.get("notify_posts")
        if (
            wants_mail
            and "author_email" in self.fields
            and not cleaned_data.get("author_email")
            and not self.has_error("author_email")
        ):
            self.add_error("author_email", _("Fill in your e-mail address to get e-mail from us."))
        return cleaned_data


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=MAX_EMAIL_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, erase my data. I understand this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )


class MailPreferenceForm(forms.ModelForm):
    class Meta:
        model = MailPreference
        fields = ["moderation", "comments_on_my_posts"]
        widgets = {"moderation": forms.RadioSelect}

    def __init__(self, *args, can_moderate: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_moderate:
            del self.fields["moderation"]
