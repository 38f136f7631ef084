from django.contrib.auth import views as auth_views
from django.urls import path

from jiesu.web import views, views_intake, views_ladder, views_print, views_queues, views_tasks, views_tickets

app_name = "web"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    # 受理 intake screen (views_intake.py)
    path("intake/", views_intake.intake, name="intake"),
    path("intake/suggest/", views_intake.suggest, name="intake_suggest"),
    path("intake/suggest/encoder/", views_intake.suggest_dense, name="intake_suggest_dense"),
    path("intake/history/", views_intake.history, name="intake_history"),
    path("intake/picker/<slug:tree>/", views_intake.picker, name="intake_picker"),
    path("desk/<slug:slug>/", views_queues.desk, name="desk"),
    path("desk/<slug:slug>/counts/", views_queues.desk_counts, name="desk_counts"),
    path("desk/<slug:slug>/dispatch/", views_queues.desk_bulk_dispatch, name="desk_bulk_dispatch"),
    path("supervision/ladder/", views_ladder.ladder_page, name="ladder"),
    path("supervision/ladder/issue/", views_ladder.ladder_issue, name="ladder_issue"),
    path("supervision/unit-steps/<int:step_id>/close/", views_ladder.unit_step_close, name="unit_step_close"),
    path("supervision/unit-steps/<int:step_id>/pdf/", views_ladder.unit_step_pdf, name="unit_step_pdf"),
    path("tasks/new/", views_tasks.task_new, name="task_new"),
    path("tasks/from-issue/<int:issue_id>/", views_tasks.task_new, name="task_from_issue"),
    path("print/day/", views_print.day_print, name="day_print"),
    path("print/day.pdf", views_print.day_pdf, name="day_pdf"),
    path("tickets/<str:number>/", views_tickets.ticket_page, name="ticket"),
    path("tickets/<str:number>/print/", views_print.ticket_print, name="ticket_print"),
    path("tickets/<str:number>/pdf/", views_print.ticket_pdf, name="ticket_pdf"),
    path("tickets/<str:number>/clocks/", views_tickets.ticket_clocks, name="ticket_clocks"),
    path("tickets/<str:number>/attachments/", views_tickets.attach, name="ticket_attach"),
    path("tickets/<str:number>/requester/", views_tickets.reveal_requester, name="ticket_reveal"),
    path("tickets/<str:number>/actions/<str:action>/", views_tickets.act, name="ticket_act"),
]
