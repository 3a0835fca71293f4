"""Pages and API of the citizen's voice: the kiosk (set-up, no-script form,
JSON API with CSRF), the online rating page and API, the back-office
counters, follow-ups (read logged) and held votes; never a 500."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from motcua.core import clock
from motcua.evaluation import kiosks
from motcua.evaluation.kiosks import Vote, kiosk_vote
from motcua.evaluation.models import FollowUp, Kiosk, KioskPrompt, Rating
from motcua.portal.qr import qr_url, token_for
from motcua.privacy.models import ReadLog
from tests.dossiers.builders import vn
from tests.security.helpers import sign_in_with_mfa

from .voice import cid, voice_world

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.evaluation.urls")]
NOW = vn(2025, 6, 20, 10)


@pytest.fixture
def v():
    with clock.frozen_at(NOW):
        yield voice_world()


def kiosk_client(v) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.cookies[kiosks.COOKIE] = v.credential
    client.get(f"/danh-gia-hai-long/quay/{v.counter.pk}/")  # the CSRF cookie
    return client


def post_json(client, url, body, **extra):
    csrf = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else ""
    return client.post(url, json.dumps(body), content_type="application/json",
                       headers={"X-CSRFToken": csrf}, **extra)  # fmt: skip


def test_a_tablet_without_a_kiosk_credential_is_sent_to_the_set_up(client, v):
    page = client.get(f"/danh-gia-hai-long/quay/{v.counter.pk}/")
    assert page.status_code == 403
    assert f"/danh-gia-hai-long/quay/{v.counter.pk}/cai-dat/" in page.content.decode()
    setup = client.get(f"/danh-gia-hai-long/quay/{v.counter.pk}/cai-dat/")
    assert setup.status_code == 302 and "login" in setup["Location"]
    assert client.get("/danh-gia-hai-long/quay/999999/").status_code == 404


def test_an_officer_sets_a_tablet_up_once_and_it_keeps_a_cookie(client, v):
    client.force_login(v.world.reception)
    url = f"/danh-gia-hai-long/quay/{v.counter.pk}/cai-dat/"
    got = client.get(url)
    assert got.status_code == 200, got.content.decode()[-3000:]
    response = client.post(url, {"name": "Máy quầy 1"})
    assert response.status_code == 302
    cookie = response.cookies[kiosks.COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert kiosks.kiosk_from_credential(cookie.value).name == "Máy quầy 1"
    client.logout()  # the tablet no longer needs the officer's session
    client.cookies[kiosks.COOKIE] = cookie.value  # (the test client drops all)
    page = client.get(f"/danh-gia-hai-long/quay/{v.counter.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    for level in ("very_satisfied", "satisfied", "unsatisfied"):
        assert f'id="level-{level}"' in html
    assert "Rất hài lòng" in html and "Không hài lòng" in html
    assert "<script>" not in html and "style=" not in html  # CSP-safe
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    other = Client()
    other.force_login(v.world.other_reception)
    assert other.get(url).status_code == 403


def test_the_kiosk_form_works_without_script(v):
    client = kiosk_client(v)
    csrf = client.cookies["csrftoken"].value
    with clock.frozen_at(NOW):
        response = client.post(
            f"/danh-gia-hai-long/quay/{v.counter.pk}/",
            {"csrfmiddlewaretoken": csrf, "client_id": cid(1), "level": "satisfied"},
        )
    assert response.status_code == 302 and response["Location"].endswith("?cam-on=1")
    rating = Rating.objects.get()
    assert (rating.counter, rating.officer) == (v.counter, v.world.reception)
    thanks = client.get(response["Location"])
    assert "Cảm ơn ông/bà đã đánh giá" in thanks.content.decode()
    bad = client.post(
        f"/danh-gia-hai-long/quay/{v.counter.pk}/",
        {"csrfmiddlewaretoken": csrf, "client_id": cid(2), "level": "great"},
    )
    assert bad.status_code == 400 and Rating.objects.count() == 1


def test_the_kiosk_api_records_once_per_client_id_and_checks_csrf(v):
    client = kiosk_client(v)
    url = "/danh-gia-hai-long/api/kiosk/votes/"
    body = {"client_id": cid(1), "level": "very_satisfied",
            "cast_at": "2025-06-20T09:59:00+07:00"}  # fmt: skip
    with clock.frozen_at(NOW):
        first = post_json(client, url, body)
        again = post_json(client, url, body)
        no_csrf = client.post(url, json.dumps({**body, "client_id": cid(2)}),
                              content_type="application/json")  # fmt: skip
        bad = post_json(client, url, {"client_id": cid(3), "level": "great"})
        stranger = post_json(Client(), url, {**body, "client_id": cid(4)})
    assert first.status_code == 201 and first.json()["created"] is True
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert no_csrf.status_code == 403 and no_csrf.json()["code"] == "auth.forbidden"
    assert bad.status_code == 400 and set(bad.json()) == {"code", "message", "fields"}
    assert "level" in bad.json()["fields"]
    assert stranger.status_code == 403
    rating = Rating.objects.get()
    assert rating.at == vn(2025, 6, 20, 9, 59) and rating.officer == v.world.reception


def test_the_kiosk_api_state_and_receipt_scan(v):
    client = kiosk_client(v)
    with clock.frozen_at(NOW):
        kiosks.prompt_dossier(v.world.reception, v.e.early)
        state = client.get("/danh-gia-hai-long/api/kiosk/state/").json()
        scanned = post_json(client, "/danh-gia-hai-long/api/kiosk/scan/",
                            {"text": qr_url("http://mc.local", v.e.late)})  # fmt: skip
        junk = post_json(client, "/danh-gia-hai-long/api/kiosk/scan/",
                         {"text": "http://evil/tra-cuu/qr/1.abc/"})  # fmt: skip
        voted = post_json(client, "/danh-gia-hai-long/api/kiosk/votes/",
                          {"client_id": cid(1), "level": "satisfied",
                           "dossier_token": scanned.json()["token"],
                           "answers": {"attitude": 0}})  # fmt: skip
        again = post_json(client, "/danh-gia-hai-long/api/kiosk/votes/",
                          {"client_id": cid(2), "level": "satisfied",
                           "dossier_token": scanned.json()["token"]})  # fmt: skip
    assert state["dossier"]["code"] == v.e.early.code
    assert state["officer"] == v.world.reception.get_username()
    assert scanned.status_code == 200 and scanned.json()["code"] == v.e.late.code
    assert junk.status_code == 404 and junk.json()["code"] == "kiosk.unknown_receipt"
    assert voted.status_code == 201
    assert Rating.objects.get().attitude_points == 2
    assert again.status_code == 409 and again.json()["code"] == "rating.already_rated"


def test_a_revoked_kiosk_is_refused(client, v):
    with clock.frozen_at(NOW):
        kiosks.kiosk_revoke(v.world.admin, v.kiosk)
    kc = kiosk_client(v)
    assert kc.get("/danh-gia-hai-long/api/kiosk/state/").status_code == 403
    assert kc.get(f"/danh-gia-hai-long/quay/{v.counter.pk}/").status_code == 403


def test_the_online_rating_page_asks_why_and_opens_a_follow_up(client, v):
    url = f"/danh-gia-hai-long/ho-so/{token_for(v.e.late)}/"
    with clock.frozen_at(NOW):
        form = client.get(url)
        assert form.status_code == 200 and v.e.late.code in form.content.decode()
        why = client.post(url, {"client_id": "web-00000001", "level": "unsatisfied"})
        assert why.status_code == 400
        assert "lý do" in why.content.decode() and not Rating.objects.exists()
        done = client.post(url, {"client_id": "web-00000001", "level": "unsatisfied",
                                 "reasons": ["late"], "q-attitude": "1",
                                 "comment": "Trễ hẹn một ngày.",
                                 "may_contact": "1"})  # fmt: skip
        assert done.status_code == 200 and "Cảm ơn" in done.content.decode()
        again = client.get(url)
    assert "đã được ghi nhận" in again.content.decode()
    rating = Rating.objects.get()
    assert rating.source == "online" and rating.attitude_points == 1
    assert rating.follow_up.may_contact and rating.follow_up.contact_phone == ""


def test_the_online_rating_page_refuses_what_it_cannot_rate(client, v):
    not_returned = client.get(f"/danh-gia-hai-long/ho-so/{token_for(v.e.on_time)}/")
    assert not_returned.status_code == 409
    assert "chưa trả kết quả" in not_returned.content.decode()
    for junk in ["x", "1.abc", "9" * 30]:
        assert client.get(f"/danh-gia-hai-long/ho-so/{junk}/").status_code == 404
    assert client.get("/danh-gia-hai-long/ho-so/%00/").status_code == 400


def test_the_online_rating_api_is_idempotent_with_fields_in_errors(client, v):
    url = "/danh-gia-hai-long/api/ratings/"
    body = {"token": token_for(v.e.early), "client_id": "app-00000001",
            "level": "unsatisfied"}  # fmt: skip
    with clock.frozen_at(NOW):
        why = client.post(url, body, content_type="application/json")
        first = client.post(url, {**body, "reasons": ["wait"]},
                            content_type="application/json")  # fmt: skip
        again = client.post(url, {**body, "reasons": ["wait"]},
                            content_type="application/json")  # fmt: skip
    assert why.status_code == 400 and why.json()["fields"] == {
        "reasons": [why.json()["message"]]
    }
    assert first.status_code == 201 and first.json()["follow_up"] is True
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert FollowUp.objects.count() == 1


def test_the_leader_answers_a_follow_up_in_the_back_office(client, v):
    from motcua.evaluation.online import OnlineAnswer, online_rate

    with clock.frozen_at(NOW):
        rating, _ = online_rate(
            token_for(v.e.late),
            OnlineAnswer("unsatisfied", reasons=("late",), may_contact=True),
        )
    follow_up = rating.follow_up
    client.force_login(v.world.specialist)
    assert client.get(f"/danh-gia/theo-doi/{follow_up.pk}/").status_code == 404
    client.force_login(v.world.leader)
    listing = client.get("/danh-gia/theo-doi/")
    assert listing.status_code == 200 and v.e.late.code in listing.content.decode()
    detail = client.get(f"/danh-gia/theo-doi/{follow_up.pk}/")
    assert detail.status_code == 200
    assert "0905123456" in detail.content.decode()  # the applicant's phone
    assert ReadLog.objects.filter(
        username=v.world.leader.get_username(), dossier_code=v.e.late.code
    ).exists()
    answered = client.post(
        f"/danh-gia/theo-doi/{follow_up.pk}/",
        {"answer": "Xin lỗi ông/bà.", "action_taken": "Nhắc nhở chuyên viên."},
    )
    assert answered.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.answered_by == v.world.leader and follow_up.answered_at
    for state in ["open", "overdue", "answered", "all", "junk"]:
        assert (
            client.get("/danh-gia/theo-doi/", {"tinh-trang": state}).status_code == 200
        )


def test_counters_page_duty_invitation_and_revocation(client, v):
    client.force_login(v.world.leader)
    assert client.get("/danh-gia/quay/").status_code == 200
    with clock.frozen_at(NOW):
        client.post("/danh-gia/quay/", {"action": "duty_start",
                                        "counter": v.other_counter.pk})  # fmt: skip
        invited = client.post("/danh-gia/quay/", {"action": "prompt",
                                                  "code": v.e.early.code})  # fmt: skip
        unknown = client.post("/danh-gia/quay/", {"action": "prompt", "code": "NOPE"})
        revoke = client.post("/danh-gia/quay/", {"action": "revoke",
                                                 "kiosk": v.kiosk.pk})  # fmt: skip
    assert invited.status_code == 302
    assert KioskPrompt.objects.get().counter == v.other_counter
    assert unknown.status_code == 404
    assert revoke.status_code == 403  # only the agency administrator
    admin = sign_in_with_mfa(Client(), v.world.admin)
    with clock.frozen_at(NOW):
        admin.post("/danh-gia/quay/", {"action": "revoke", "kiosk": v.kiosk.pk})
    assert Kiosk.objects.get(pk=v.kiosk.pk).revoked_at == NOW
    for junk in [{"action": "duty_start", "counter": "x"}, {"action": "revoke"},
                 {"action": "zzz"}]:  # fmt: skip
        assert admin.post("/danh-gia/quay/", junk).status_code in (302, 404)


def test_the_agency_admin_accepts_a_held_vote(client, v):
    with clock.frozen_at(NOW):
        for i in range(5):
            kiosk_vote(v.kiosk, Vote(cid(i), "satisfied"))
    held = Rating.objects.get(state="held")
    client.force_login(v.world.leader)
    page = client.get("/danh-gia/phieu-bat-thuong/")
    assert f'id="held-{held.pk}"' not in page.content.decode()
    client = sign_in_with_mfa(Client(), v.world.admin)
    page = client.get("/danh-gia/phieu-bat-thuong/")
    assert f'id="held-{held.pk}"' in page.content.decode()
    client.post(
        "/danh-gia/phieu-bat-thuong/", {"rating": held.pk, "decision": "accept"}
    )
    held.refresh_from_db()
    assert held.state == "counted" and held.reviewed_by == v.world.admin
    again = client.post(
        "/danh-gia/phieu-bat-thuong/", {"rating": held.pk, "decision": "accept"}
    )
    assert again.status_code == 409


def test_the_openapi_schema_documents_the_satisfaction_endpoints(admin_client):
    schema = admin_client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert "post" in paths["/danh-gia-hai-long/api/kiosk/votes/"]
    assert "post" in paths["/danh-gia-hai-long/api/ratings/"]
    assert "kioskAuth" in schema["components"]["securitySchemes"]


def test_setting_a_kiosk_up_may_also_take_the_duty_at_its_counter(client, v):
    client.force_login(v.world.specialist)  # may take duty, may not set up
    url = f"/danh-gia-hai-long/quay/{v.other_counter.pk}/cai-dat/"
    assert client.post(url, {"duty": "1"}).status_code == 403
    client.force_login(v.world.reception)
    with clock.frozen_at(NOW):
        client.post(url, {"name": "Quầy 2", "duty": "1"})
    assert kiosks.on_duty(v.other_counter, NOW) == v.world.reception
    assert kiosks.on_duty(v.counter, NOW) is None  # her duty at counter 1 ended


def test_a_kiosk_follow_up_says_the_kiosk_did_not_ask_about_contact(client, v):
    with clock.frozen_at(NOW):
        rating, _ = kiosk_vote(
            v.kiosk, Vote(cid(9), "unsatisfied", token=token_for(v.e.late))
        )
    client.force_login(v.world.leader)
    detail = client.get(f"/danh-gia/theo-doi/{rating.follow_up.pk}/")
    page = detail.content.decode()
    assert detail.status_code == 200 and v.e.late.code in page
    assert "Phiếu tại quầy: không hỏi việc liên hệ" in page
    assert "Không đồng ý được liên hệ" not in page
