from django.urls import path

from chantiers import views

app_name = "chantiers"

urlpatterns = [
    path("chantiers/", views.chantier_list, name="chantier_list"),
    path("chantiers/<slug:slug>/", views.chantier_detail, name="chantier_detail"),
    path("chantiers/<slug:slug>/agenda.ics", views.chantier_ics, name="chantier_ics"),
    path(
        "chantiers/<slug:slug>/actions/<slug:action_slug>/",
        views.action_detail,
        name="action_detail",
    ),
    path("avancement/", views.progress_overview, name="progress"),
    path("equipe/", views.team, name="team"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("agenda.json", views.agenda_json, name="agenda_json"),
    path("agenda/<slug:slug>/", views.meeting_detail, name="meeting_detail"),
    path("agenda/<slug:slug>/evenement.ics", views.meeting_ics, name="meeting_ics"),
    path("agenda/<slug:slug>/inscription/", views.meeting_register, name="meeting_register"),
    path(
        "agenda/<slug:slug>/inscription/merci/",
        views.registration_done,
        name="registration_done",
    ),
    path(
        "agenda/<slug:slug>/desinscription/<str:token>/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path("nous-rejoindre/", views.join, name="join"),
    path("nous-rejoindre/merci/", views.join_done, name="join_done"),
    path("suivre/", views.follow, name="follow"),
    path("suivre/merci/", views.follow_done, name="follow_done"),
    path("suivre/confirmer/<str:token>/", views.follow_confirm, name="follow_confirm"),
    path("suivre/gerer/<str:token>/", views.follow_manage, name="follow_manage"),
    path("suivre/desabonnement/<str:token>/", views.follow_unsubscribe, name="follow_unsubscribe"),
    path("suivre/au-revoir/", views.follow_left, name="follow_left"),
]
