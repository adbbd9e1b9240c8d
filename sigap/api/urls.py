from django.urls import path

from sigap.api import views

# Not "api": that namespace is the REST API's own (sigap.api.api).
app_name = "tokens"
urlpatterns = [
    path("", views.token_list, name="list"),
    path("<int:pk>/revoke/", views.token_revoke, name="revoke"),
]
