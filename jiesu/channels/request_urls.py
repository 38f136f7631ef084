from django.urls import path

from jiesu.channels import public_views

app_name = "channels_request"

urlpatterns = [
    path("", public_views.request_page, name="form"),
    path("code/", public_views.request_code, name="code"),
    path("regions/", public_views.region_options, name="regions"),
]
