from django.urls import path

from jiesu.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.issue_list, name="list"),
    path("<int:pk>/", views.issue_page, name="issue"),
]
