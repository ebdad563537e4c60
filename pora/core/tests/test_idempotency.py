"""Safe retries as a service any endpoint uses: the same key and body answer with the
first response, another body under the key is refused, a refusal stores nothing, and two
callers never share a key."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import RequestFactory, override_settings
from django.utils import timezone
from ninja import Status

from pora.core.api import Problem, error_response
from pora.core.idempotency import Idempotency, idempotent, keys_expire
from pora.core.models import IdempotencyKey, Office

pytestmark = pytest.mark.django_db


@idempotent(caller=lambda request: f"user:{request.user_id}")
def _open_office(request):
    """A stand-in endpoint that writes: a new office per call, 422 for a bad code."""
    body = json.loads(request.body)
    office = Office.objects.create(code=f"kanim-{Office.objects.count()}", name=body["name"])
    if body.get("refuse"):
        return error_response(422, [Problem("name", "refused", "Ditolak.", "Refused.")])
    return Status(201, {"id": office.pk, "name": office.name, "on": dt.date(2026, 1, 2)})


def _call(body: dict, key: str | None = "k-1", user: int = 5):
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    request = RequestFactory().post("/x", data=json.dumps(body),
                                    content_type="application/json", **headers)
    request.user_id = user
    return _open_office(request)


def test_a_retry_is_answered_from_the_key_without_doing_it_again():
    offices = Office.objects.count()
    first = _call({"name": "Kanim Baru"})
    again = _call({"name": "Kanim Baru"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert json.loads(again.content) == json.loads(first.content) == {
        "id": json.loads(first.content)["id"], "name": "Kanim Baru", "on": "2026-01-02"}
    assert "Idempotent-Replayed" not in first and again["Idempotent-Replayed"] == "true"
    assert Office.objects.count() == offices + 1
    assert IdempotencyKey.objects.get().caller == "user:5"


def test_the_key_with_another_body_is_refused():
    _call({"name": "Kanim Baru"})
    refused = _call({"name": "Kanim Lain"})
    body = json.loads(refused.content)
    assert (refused.status_code, body["code"], body["field"]) == (
        422, "idempotency_key_reused", "Idempotency-Key")
    assert not Office.objects.filter(name="Kanim Lain").exists()


def test_a_refusal_rolls_back_and_leaves_the_key_free():
    offices = Office.objects.count()
    assert _call({"name": "Kanim Ditolak", "refuse": True}).status_code == 422
    assert Office.objects.count() == offices and not IdempotencyKey.objects.exists()
    assert _call({"name": "Kanim Baru"}).status_code == 201


def test_two_callers_may_use_the_same_key():
    assert _call({"name": "Kanim A"}, user=5).status_code == 201
    other = _call({"name": "Kanim B"}, user=6)
    assert other.status_code == 201 and "Idempotent-Replayed" not in other
    assert sorted(IdempotencyKey.objects.values_list("caller", flat=True)) == ["user:5",
                                                                               "user:6"]


def test_without_a_key_every_call_does_it_again():
    offices = Office.objects.count()
    _call({"name": "Kanim A"}, key=None)
    _call({"name": "Kanim B"}, key=None)
    assert Office.objects.count() == offices + 2 and not IdempotencyKey.objects.exists()


def test_an_overlong_key_is_refused_before_anything_is_done():
    offices = Office.objects.count()
    refused = _call({"name": "Kanim A"}, key="k" * 201)
    assert (refused.status_code, json.loads(refused.content)["code"]) == (
        422, "invalid_idempotency_key")
    assert Office.objects.count() == offices


def test_the_service_answers_a_key_taken_meanwhile_with_the_first_answer():
    request = RequestFactory().post("/x", data="{}", content_type="application/json",
                                    HTTP_IDEMPOTENCY_KEY="k-9")
    idempotency = Idempotency.of(request, "lodging:1")
    # Another request stored the key after this one looked (or never looked) it up.
    assert idempotency.store(201, '{"first": true}')
    offices = Office.objects.count()

    def produce():
        Office.objects.create(code="kanim-race", name="Kanim Race")
        return error_response(200, [Problem("", "x", "x", "x")])

    answer = idempotency.answer(produce)
    assert (answer.status_code, json.loads(answer.content)) == (201, {"first": True})
    assert answer["Idempotent-Replayed"] == "true"
    assert Office.objects.count() == offices  # what this request did rolled back


@override_settings(PORA_IDEMPOTENCY_DAYS=7)
def test_keys_expire_after_the_days_set():
    old = IdempotencyKey.objects.create(caller="user:5", key="old", body_digest="x",
                                        status_code=201, response={})
    IdempotencyKey.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=8))
    IdempotencyKey.objects.create(caller="user:5", key="new", body_digest="y",
                                  status_code=201, response={})
    assert keys_expire() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
