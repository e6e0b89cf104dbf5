from django.urls import path

from lotsen.journal import views

app_name = "journal"
urlpatterns = [
    path("att-signera/", views.drafts, name="drafts"),
    path("<int:case_id>/", views.journal_list, name="list"),
    path("<int:case_id>/ny/", views.write, name="write"),
    path("<int:case_id>/spara-utkast/", views.autosave, name="autosave"),
    path("<int:case_id>/anteckning/<int:entry_id>/", views.edit, name="edit"),
    path("<int:case_id>/anteckning/<int:entry_id>/ta-bort/", views.discard, name="discard"),
    path(
        "<int:case_id>/anteckning/<int:entry_id>/rattelse/",
        views.write_linked,
        {"link": "correction"},
        name="correction",
    ),
    path("<int:case_id>/anteckning/<int:entry_id>/tillagg/", views.write_linked, {"link": "addition"}, name="addition"),
    path(
        "<int:case_id>/anteckning/<int:entry_id>/invandning/", views.write_linked, {"link": "dispute"}, name="dispute"
    ),
    path("<int:case_id>/dokument/", views.documents, name="documents"),
    path("<int:case_id>/dokument/<int:document_id>/", views.document_download, name="document"),
]
