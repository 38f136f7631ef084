from django.urls import path

from jiesu.evaluation import views
from jiesu.evaluation.circular import views as circular_views

app_name = "evaluation"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("unit/", views.own_unit, name="own_unit"),
    path("units/<str:code>/", views.unit_page, name="unit"),
    path("tickets/", views.figure_tickets, name="tickets"),
    path("calls/", views.figure_calls, name="calls"),
    path("circular/", circular_views.download, name="circular"),
]
