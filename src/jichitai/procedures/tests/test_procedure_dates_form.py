"""受付開始 and 受付終了 are each a date and a time: the two boxes are named 日付 and 時刻 on the
page (not only by an example that vanishes once typing starts), and what is refused is said in
the staff's language."""

import pytest
from django.utils import translation

from jichitai.procedures.forms import ProcedureForm
from jichitai.tenancy.models import Division

pytestmark = pytest.mark.django_db


def _form(data=None):
    return ProcedureForm(data, divisions=Division.objects.none())


def test_the_date_and_the_time_each_have_a_label():
    html = str(_form()["opens_at"])
    assert '<label for="id_opens_at_0">日付</label>' in html
    assert '<label for="id_opens_at_1">時刻</label>' in html


def test_a_date_without_its_time_is_refused_not_dropped():
    """受付終了 typed as a date alone used to be saved as no 受付終了 at all."""
    form = _form({"closes_at_0": "令和9年3月31日", "closes_at_1": ""})
    assert form.errors["closes_at"] == ["日付と時刻の両方を入力してください。"]
    assert 'value="令和9年3月31日"' in str(form["closes_at"])


def test_a_date_without_its_time_is_refused_in_the_staffs_language():
    with translation.override("en"):
        form = _form({"opens_at_0": "2027-04-01", "opens_at_1": ""})
        assert form.errors["opens_at"] == ["Enter both a date and a time."]
        form = _form({"opens_at_0": "2027-04-01", "opens_at_1": "nine"})
        assert form.errors["opens_at"] == ["Enter the time as in 09:00."]
