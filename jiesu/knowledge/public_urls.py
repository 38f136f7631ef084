from django.urls import path

from jiesu.knowledge import public_views

app_name = "knowledge_public"

urlpatterns = [
    path("", public_views.ask_page, name="ask"),
    path("widget/", public_views.widget, name="widget"),
    path("feedback/", public_views.feedback, name="feedback"),
    path("<int:pk>/", public_views.article_page, name="article"),
]
