from django.urls import path

from .views import (
    contacts,
    desk,
    dossier,
    home,
    leader,
    messages,
    queues,
    read_log,
    returns,
)

app_name = "backoffice"
urlpatterns = [
    path("", home.home, name="home"),
    path("co-quan/", home.switch_agency, name="switch_agency"),
    path("tim/", home.search, name="search"),
    path("quay/", desk.desk, name="desk"),
    path("quay/thu-tuc.json", desk.procedures_json, name="desk_procedures"),
    path("quay/han.json", desk.due_json, name="desk_due"),
    path("quay/nguoi-nop.json", desk.applicant_json, name="desk_applicant"),
    path("quay/xong/<str:code>/", desk.desk_done, name="desk_done"),
    path("hang-doi/<slug:slug>/", queues.queue, name="queue"),
    path("ho-so/<str:code>/", dossier.dossier_page, name="dossier"),
    path(
        "ho-so/<str:code>/thao-tac/<str:action>/",
        dossier.dossier_action,
        name="dossier_action",
    ),
    path("ho-so/<str:code>/ghi-chu/", dossier.add_note, name="dossier_note"),
    path("ho-so/<str:code>/tai-len/", dossier.upload_files, name="dossier_upload"),
    path("ho-so/<str:code>/tep/<int:file_id>/", dossier.file_view, name="dossier_file"),
    path("tra-ket-qua/", returns.returns, name="returns"),
    path("tra-ket-qua/<str:code>/goi/", returns.record_call, name="record_call"),
    path("lanh-dao/", leader.board, name="leader"),
    # issue 8 (privacy): the read log of personal data, for administrators
    path("nhat-ky-truy-cap/", read_log.read_log, name="read_log"),
    # issue 13: what the transparency page publishes about the agency
    path("thong-tin-cong-khai/", contacts.public_contacts, name="public_contacts"),
    # issue 11: the outbox of the agency's dossiers
    path("tin-nhan/", messages.sent_messages, name="sent_messages"),
    path(
        "tin-nhan/<int:message_id>/gui-lai/",
        messages.retry_message,
        name="retry_message",
    ),
]
