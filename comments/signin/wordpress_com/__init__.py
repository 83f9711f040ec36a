"""Signing in with a WordPress.com account (OAuth 2.0), which allauth has no provider for.

Laid out as allauth's own providers are (``provider.py``, ``views.py``, ``urls.py``): listing
``comments.signin.wordpress_com`` in ``INSTALLED_APPS`` registers it, and ``allauth.urls`` serves
``/accounts/wordpress_com/login/`` and its ``callback/``.
"""
