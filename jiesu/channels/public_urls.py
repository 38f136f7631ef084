from django.urls import path

from jiesu.channels import public_views

app_name = "channels_public"

urlpatterns = [
    path("", public_views.track_page, name="track"),
    path("rate/", public_views.rate, name="rate"),
]
