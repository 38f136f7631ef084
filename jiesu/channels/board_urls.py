from django.urls import path

from jiesu.channels import board_views

app_name = "board"

urlpatterns = [
    path("", board_views.board_list, name="list"),
    path("<int:pk>/", board_views.board_message, name="message"),
    path("moderate/", board_views.moderation, name="moderation"),
    path("moderate/<int:pk>/", board_views.moderate, name="moderate"),
]
