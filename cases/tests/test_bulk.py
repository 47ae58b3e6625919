import datetime

import pytest

from accounts.tests.factories import TeamFactory
from cases import bulk
from cases.models import Case, Person

pytestmark = pytest.mark.django_db


def test_copy_rows_writes_every_value_including_nulls_quotes_and_times():
    now = datetime.datetime(2025, 3, 30, 1, 30, tzinfo=datetime.UTC)
    [pid] = bulk.reserve_ids(Person, 1)
    awkward = 'Quote " comma , newline\nand \\ backslash'

    written = bulk.copy_rows(
        Person,
        ["id", "legal_name", "preferred_name", "date_of_birth", "address", "imported", "created_at", "updated_at"],
        [(pid, "Synth Example", "", None, awkward, True, now, now)],
    )

    person = Person.objects.get(pk=pid)
    assert written == 1
    assert (person.legal_name, person.preferred_name, person.date_of_birth) == ("Synth Example", "", None)
    assert person.address == awkward
    assert person.imported is True
    assert person.created_at == now


def test_reserved_ids_do_not_collide_with_rows_written_before_or_after():
    now = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    first = bulk.reserve_ids(Person, 3)
    bulk.copy_rows(Person, ["id", "legal_name"], [(i, "Synth") for i in first])

    second = bulk.reserve_ids(Person, 2)
    bulk.copy_rows(Person, ["id", "legal_name"], [(i, "Synth") for i in second])
    later = Person.objects.create(legal_name="Later Synth")
    Case.objects.create(
        ref="N-1",
        person=later,
        team=TeamFactory(),
        received_at=now,
    )

    assert len(set(first) | set(second) | {later.pk}) == 6
    assert Person.objects.count() == 6


def test_on_postgresql_two_reservations_never_overlap():
    if not bulk.is_postgresql():
        pytest.skip("SQLite has a single writer: ids follow the current maximum")

    assert not set(bulk.reserve_ids(Person, 5)) & set(bulk.reserve_ids(Person, 5))
