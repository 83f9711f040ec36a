"""The linkback endpoints (namespace ``linkbacks``), included at the site's root."""

from django.urls import path

from . import views

app_name = "linkbacks"

urlpatterns = [
    path("xmlrpc/", views.xmlrpc, name="xmlrpc"),
    path("trackback/<slug:kind>/<int:pk>/", views.trackback, name="trackback"),
    path("webmention/", views.webmention, name="webmention"),
    path("webmention/<str:token>/", views.webmention_status, name="webmention_status"),
]
