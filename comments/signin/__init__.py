"""Signing in to comment: local accounts and third-party providers, through django-allauth.

allauth does the signing in; this package only fits it to the comment form: which providers are
offered (those with credentials), the line that says who is signed in, which account a comment
came from (``accounts.auth_provider_of``), and a WordPress.com provider, which allauth lacks.
"""
