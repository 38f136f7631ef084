from django.urls import path

from jiesu.open311 import views

app_name = "open311"

urlpatterns = [
    path("", views.root, name="root"),
    path("discovery.<str:fmt>", views.discovery, name="discovery"),
    path("services.<str:fmt>", views.service_list, name="services"),
    path("services/<str:code>.<str:fmt>", views.service_definition, name="service"),
    path("requests.<str:fmt>", views.requests_, name="requests"),
    path("requests/<str:request_id>.<str:fmt>", views.request_one, name="request"),
    path("tokens/<str:token_id>.<str:fmt>", views.token, name="token"),
]
