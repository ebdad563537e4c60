"""The audit and access logs are hash chains that `pora audit verify` recomputes.

UU 27/2022 (PDP) Pasal 31 asks for a record of processing; the chain makes a record that
was changed, removed or slipped in afterwards show, even when done in the database itself.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from pora.core import chain
from pora.core.audit import AUDIT_COLUMNS, audit_record, audit_record_many
from pora.core.models import AccessLog, AuditEvent, AuditLog

pytestmark = pytest.mark.django_db


def _write_audit(officer, count: int) -> list[AuditLog]:
    with transaction.atomic():
        return [audit_record(actor=officer, event=AuditEvent.CREATE, object_type="test.Row",
                             object_id=str(i), changes={"n": [None, i]}, note=f"row {i}")
                for i in range(count)]


def _raw(sql: str, params=()) -> None:
    """What someone with the database in hand does, past the application. On PostgreSQL
    the triggers refuse it (test_log_roles_postgres): a superuser switches them off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def verify_audit() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", "--log", "audit", stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_rows_are_written_unsealed_and_sealed_in_order(officer):
    rows = _write_audit(officer, 3)
    assert AuditLog.objects.filter(chain_seq__isnull=True).count() == AuditLog.objects.count()
    before = AuditLog.objects.count()
    assert chain.seal(AuditLog) == before
    sealed = list(AuditLog.objects.order_by("chain_seq").values_list("id", "chain_seq"))
    assert [seq for _id, seq in sealed] == list(range(1, before + 1))
    assert [row_id for row_id, _seq in sealed][-3:] == [r.pk for r in rows]
    # A second seal finds nothing; new rows continue the chain.
    assert chain.seal(AuditLog) == 0
    _write_audit(officer, 2)
    assert chain.seal(AuditLog) == 2
    assert chain.verify("audit").intact
    assert chain.verify("audit").head_seq == before + 2


def test_sealing_goes_in_batches(officer):
    _write_audit(officer, 7)
    total = AuditLog.objects.count()
    assert chain.seal(AuditLog, batch=2) == total
    verdict = chain.verify("audit", batch=3)
    assert (verdict.intact, verdict.checked, verdict.unsealed) == (True, total, 0)


def test_verify_passes_an_intact_chain_and_counts_unsealed_rows(officer):
    _write_audit(officer, 4)
    chain.seal_all()
    _write_audit(officer, 1)
    code, out, _err = verify_audit()
    assert code == 0
    assert "intact" in out and "1 not sealed yet" in out


def test_verify_names_an_altered_row(officer):
    rows = _write_audit(officer, 5)
    chain.seal_all()
    _raw("UPDATE core_auditlog SET note = %s WHERE id = %s", ["nothing happened", rows[2].pk])
    code, _out, err = verify_audit()
    assert code == 1
    assert f"row {rows[2].pk}," in err
    verdict = chain.verify("audit")
    assert verdict.broken_id == rows[2].pk


def test_verify_names_a_deleted_row(officer):
    rows = _write_audit(officer, 5)
    chain.seal_all()
    gone = AuditLog.objects.filter(pk=rows[1].pk).values_list("chain_seq", flat=True).get()
    _raw("DELETE FROM core_auditlog WHERE id = %s", [rows[1].pk])
    code, _out, err = verify_audit()
    assert code == 1
    assert f"link {gone} is missing" in err
    assert chain.verify("audit").broken_id == rows[2].pk


def test_verify_names_an_inserted_row(officer):
    rows = _write_audit(officer, 5)
    chain.seal_all()
    # A row slipped in after rows[1]: the links after it shifted along, hashes kept.
    place = AuditLog.objects.filter(pk=rows[1].pk).values_list("chain_seq", flat=True).get()
    for row_id, seq in (AuditLog.objects.filter(chain_seq__gt=place).order_by("-chain_seq")
                        .values_list("id", "chain_seq")):
        _raw("UPDATE core_auditlog SET chain_seq = %s WHERE id = %s", [seq + 1, row_id])
    forged = AuditLog(actor=officer, actor_label=officer.username, office_id=officer.office_id,
                      event=AuditEvent.DELETE, object_type="test.Row", object_id="x")
    with transaction.atomic():
        audit_record_many([forged])
    _raw("UPDATE core_auditlog SET chain_seq = %s, chain_hash = %s WHERE id = %s",
         [place + 1, "0" * 64, forged.pk])
    code, _out, err = verify_audit()
    assert code == 1
    assert f"row {forged.pk}, link {place + 1}" in err


def test_verify_notices_a_chain_hash_without_its_place(officer):
    rows = _write_audit(officer, 2)
    _raw("UPDATE core_auditlog SET chain_hash = %s WHERE id = %s", ["f" * 64, rows[0].pk])
    verdict = chain.verify("audit")
    assert not verdict.intact and verdict.broken_id == rows[0].pk


def test_every_writer_leaves_rows_the_sealer_links(officer, wang_request):
    """One row by audit_record, a batch by audit_record_many, tuples by insert_rows (the
    imports), access rows by access_record: all are sealed into one chain each."""
    from django.utils import timezone

    from pora.core.audit import access_record
    from pora.core.bulk import insert_rows

    with transaction.atomic():
        audit_record(actor=officer, event=AuditEvent.CREATE, object_type="t.A", object_id="1")
        audit_record_many([AuditLog(actor=officer, actor_label="x", event=AuditEvent.CREATE,
                                    object_type="t.B", object_id="2")])
        insert_rows(AuditLog, AUDIT_COLUMNS, [
            (timezone.now(), officer.pk, "x", officer.office_id, AuditEvent.CREATE, "t.C", "3",
             "", None, {"k": [1, "ü"]}, "")])
        request, person = wang_request
        access_record(request=request, persons=[person], view="person_detail")
    counts = chain.seal_all()
    assert counts["audit"] >= 3 and counts["access"] == 1
    assert chain.verify("audit").intact and chain.verify("access").intact
    assert not AuditLog.objects.filter(chain_seq__isnull=True).exists()
    assert not AccessLog.objects.filter(chain_seq__isnull=True).exists()


@pytest.fixture
def wang_request(officer, rf):
    from pora.conftest import make_person

    person = make_person(actor=officer)
    request = rf.get("/orang/1/")
    request.user = officer
    return request, person


def test_the_access_chain_detects_an_altered_row(officer, wang_request):
    from pora.core.audit import access_record

    request, person = wang_request
    with transaction.atomic():
        access_record(request=request, persons=[person, person], view="person_detail")
    chain.seal_all()
    first = AccessLog.objects.order_by("chain_seq").first()
    _raw("UPDATE core_accesslog SET ip_address = %s WHERE id = %s", ["10.9.9.9", first.pk])
    assert chain.verify("access").broken_id == first.pk
