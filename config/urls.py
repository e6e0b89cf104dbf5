from django.urls import include, path

urlpatterns = [
    path("", include("lotsen.core.urls")),
    path("konto/", include("lotsen.accounts.urls")),
    path("personer/", include("lotsen.people.urls")),
    path("loggranskning/", include("lotsen.audit.urls")),
    path("arenden/", include("lotsen.cases.urls")),
    path("namnd/", include("lotsen.board.urls")),
    path("barn/", include("lotsen.children.urls")),
    path("vuxna/", include("lotsen.adults.urls")),
    path("journal/", include("lotsen.journal.urls")),
    path("insatser/", include("lotsen.interventions.urls")),
    path("ekonomiskt-bistand/", include("lotsen.assistance.urls")),
    path("utbetalningar/", include("lotsen.payments.urls")),
    path("paminnelser/", include("lotsen.reminders.urls")),
    path("e-tjanst/", include("lotsen.eservices.urls")),
]

handler403 = "lotsen.core.views.error_403"
handler404 = "lotsen.core.views.error_404"
handler500 = "lotsen.core.views.error_500"
