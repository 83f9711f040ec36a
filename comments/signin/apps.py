from django.apps import AppConfig


class SignInConfig(AppConfig):
    name = "comments.signin"
    label = "signin"
    verbose_name = "Signing in to comment"
