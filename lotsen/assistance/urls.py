from django.urls import path

from lotsen.assistance import views

app_name = "assistance"
urlpatterns = [
    path("ansokningar/", views.application_list, name="applications"),
    path("ansokningar/registrera/", views.register, name="register"),
    path("ansokningar/registrera/uppgifter/", views.register_details, name="register_details"),
    path("ansokningar/<int:application_id>/", views.application_detail, name="application"),
    path("ansokningar/<int:application_id>/berakning/", views.calculation, name="calculation"),
    path("ansokningar/<int:application_id>/komplettering/", views.completion, name="completion"),
    path("arende/<int:case_id>/", views.case_applications, name="case"),
    path("bilagor/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("bilagor/<int:attachment_id>/kontrollerad/", views.attachment_check, name="attachment_check"),
    path("beslut/<int:decision_id>/", views.decision_detail, name="decision"),
    path("beslut/<int:decision_id>/pdf/", views.decision_pdf, name="decision_pdf"),
    path("langvarigt-bistand/", views.long_term, name="long_term"),
    path("automatiserade-beslut/", views.automation_share, name="automation_share"),
    path("automatiseringsregler/", views.rules, name="automation_rules"),
    path("normbelopp/", views.tables, name="tables"),
    path("normbelopp/<int:version_id>/", views.table_version, name="table_version"),
]
