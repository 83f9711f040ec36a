from django.apps import AppConfig
from django.core.signals import setting_changed
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _providers_changed(*, setting, **kwargs):
    # Settings change while the site runs only in tests; apps configured there are cached too.
    if setting == "SOCIALACCOUNT_PROVIDERS":
        from comments.signin.providers import forget_apps

        forget_apps()


class SignInConfig(AppConfig):
    name = "comments.signin"
    label = "signin"
    verbose_name = _("Signing in to comment")

    def ready(self):
        from allauth.socialaccount.models import SocialApp

        from bioxclusters import pagecache
        from comments.signin.providers import forget_apps

        pagecache.watch(SocialApp)  # The forms' "Log in to comment with" buttons.
        post_save.connect(forget_apps, sender=SocialApp, dispatch_uid="signin-app-saved")
        post_delete.connect(forget_apps, sender=SocialApp, dispatch_uid="signin-app-deleted")
        setting_changed.connect(_providers_changed, dispatch_uid="signin-providers-setting")
