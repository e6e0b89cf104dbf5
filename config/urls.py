from django.urls import include, path

urlpatterns = [
    path("", include("lotsen.core.urls")),
    path("konto/", include("lotsen.accounts.urls")),
    path("personer/", include("lotsen.people.urls")),
    path("loggranskning/", include("lotsen.audit.urls")),
]

handler403 = "lotsen.core.views.error_403"
handler404 = "lotsen.core.views.error_404"
handler500 = "lotsen.core.views.error_500"
