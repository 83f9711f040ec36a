"""Home, clusters and editor-made pages (namespace ``clusters``)."""

from django.urls import path

from clusters import views

app_name = "clusters"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("clusters/", views.ClusterListView.as_view(), name="cluster_list"),
    path("clusters/<slug:slug>/", views.ClusterDetailView.as_view(), name="cluster_detail"),
    # Last, and included last by the project, so that every specific route wins over a page.
    path("<slug:slug>/", views.PageDetailView.as_view(), name="page_detail"),
]
