from django.urls import path

from jiesu.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.edit, name="new"),
    path("<int:pk>/", views.article_detail, name="article"),
    path("versions/<int:pk>/edit/", views.edit, name="edit"),
    path("versions/<int:pk>/<str:action>/", views.version_action, name="action"),
    path("review/", views.review, name="review"),
    path("benefits/", views.benefits, name="benefits"),
    path("figures/", views.figures_page, name="figures"),
    path("answer/<str:number>/", views.answer_ticket, name="answer"),
    path("promote/<str:number>/", views.promote, name="promote"),
]
