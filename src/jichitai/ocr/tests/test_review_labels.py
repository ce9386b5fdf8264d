"""The 確認・修正 screen speaks as the clerk does: dates read from paper are shown in 和暦 (and read
back from it), and a template's zones are listed by the name of what they read, not a code."""

import pytest

from jichitai.ocr import postprocess
from jichitai.ocr.forms import PageForm, shown_value
from jichitai.ocr.tests.factories import paper_template

BIRTH = {"name": "birth", "type": "date", "label": "生年月日"}


def test_a_read_date_is_offered_for_checking_in_wareki():
    form = PageForm(specs=[BIRTH], initial_values={"birth": "1985-04-01"})
    assert form.fields["birth"].initial == "昭和60年4月1日"
    assert 'value="昭和60年4月1日"' in str(form["birth"])


def test_the_wareki_shown_is_read_back_as_the_same_date():
    assert postprocess.normalise("date", shown_value(BIRTH, "2019-05-01")) == ("2019-05-01", True)


def test_values_that_are_not_dates_are_shown_as_read():
    assert shown_value(BIRTH, "1985-13-01") == "1985-13-01"
    assert shown_value({"name": "n", "type": "text"}, "2019-05-01") == "2019-05-01"
    assert shown_value(BIRTH, None) == ""


@pytest.mark.django_db
def test_template_zones_are_listed_by_what_they_read(tsu, tsu_clerk, login):
    paper = paper_template(tsu, division=tsu_clerk.memberships.get().division)
    page = login(tsu_clerk).get(f"/s/{tsu.code}/ocr/templates/{paper.pk}/").content.decode()
    assert "<td>チェック欄</td>" in page and "<td>checkbox</td>" not in page
    assert "<td>日付(和暦・西暦)</td>" in page
