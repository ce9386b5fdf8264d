"""Rows are stamped with the person who acted only when that person signed in."""

import pytest
from django.contrib.auth.models import AnonymousUser

from jichitai.core.actors import signed_in
from jichitai.tenancy.tests.factories import UserFactory


@pytest.mark.django_db
def test_only_a_signed_in_person_stamps_a_row():
    person = UserFactory()
    assert signed_in(person) is person
    assert signed_in(AnonymousUser()) is None  # a resident on a public page
    assert signed_in(None) is None  # the system: demo, command, scheduled task
