"""The pages of discussion mail's links and of the privacy self-service (``notifications``)."""

from django.urls import path

from comments.notifications import views

app_name = "notifications"

urlpatterns = [
    path("moderate/<str:token>/", views.moderate, name="moderate"),
    path("subscriptions/confirm/<str:token>/", views.confirm, name="confirm"),
    path("subscriptions/<str:token>/", views.manage, name="manage"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("your-data/", views.privacy_request, name="privacy_request"),
    path("your-data/<str:token>/", views.privacy_page, name="privacy"),
    path("preferences/", views.preferences, name="preferences"),
]
