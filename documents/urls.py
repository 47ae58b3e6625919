from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("cases/<int:pk>/documents/", views.case_documents, name="case_documents"),
    path("cases/<int:pk>/documents/add/", views.document_add, name="document_add"),
    path("cases/<int:case_pk>/documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("cases/<int:case_pk>/documents/<int:pk>/disclosure/", views.document_disclosure, name="document_disclosure"),
    path("cases/<int:pk>/contacts/", views.case_contacts, name="case_contacts"),
    path("cases/<int:pk>/contacts/add/", views.contact_add, name="contact_add"),
    path("cases/<int:case_pk>/contacts/<int:pk>/disclosure/", views.contact_disclosure, name="contact_disclosure"),
    path("subject-access/", views.subject_access, name="subject_access"),
    path("subject-access/<int:pk>/download/", views.subject_access_download, name="subject_access_download"),
]
