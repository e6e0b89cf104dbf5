from django.urls import path

from lotsen.children import views

app_name = "children"
urlpatterns = [
    path("registrera/", views.register, name="register"),
    path("registrera/<uuid:batch>/", views.register_receipt, name="register_receipt"),
    path("anmalningsregister/", views.report_register, name="report_register"),
    path("<int:case_id>/forhandsbedomning/", views.pre_assessment, name="pre_assessment"),
    path("<int:case_id>/forhandsbedomning/forlangning/", views.pre_assessment_extend, name="pre_assessment_extend"),
    path("<int:case_id>/anmalan/<int:intake_id>/", views.report, name="report"),
    path("<int:case_id>/anmalan/<int:intake_id>/skyddsbedomning/", views.protection, name="protection"),
    path("<int:case_id>/anmalan/<int:intake_id>/aterkoppling/", views.feedback, name="feedback"),
    path(
        "<int:case_id>/anmalan/<int:intake_id>/aterkoppling/brev/", views.feedback_letter_page, name="feedback_letter"
    ),
    path(
        "<int:case_id>/anmalan/<int:intake_id>/aterkoppling/brev.pdf",
        views.feedback_letter_pdf,
        name="feedback_letter_pdf",
    ),
    path("<int:case_id>/utredning/", views.investigation, name="investigation"),
    path("<int:case_id>/utredning/inled/", views.investigation_open, name="investigation_open"),
    path("<int:case_id>/utredning/forlangning/", views.investigation_extend, name="investigation_extend"),
    path("<int:case_id>/utredning/delar/ny/", views.investigation_part_add, name="investigation_part_add"),
    path("<int:case_id>/utredning/delar/<int:part_id>/", views.investigation_part, name="investigation_part"),
]
