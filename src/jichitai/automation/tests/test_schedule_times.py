"""When a scheduled run starts, chosen and read in words: 毎日 / 平日 / 毎週 / 毎月 at a time,
kept as a crontab underneath; anything else may still be written as a crontab and is shown as
one."""

import pytest
from django.utils import translation

from jichitai.automation.schedule_times import crontab, describe


@pytest.mark.parametrize(
    ("cron", "words"),
    [
        ("0 6 * * *", "毎日 6:00"),
        ("30 7 * * 1-5", "平日(月〜金) 7:30"),
        ("0 9 * * 1", "毎週 月曜日 9:00"),
        ("5 18 * * 0", "毎週 日曜日 18:05"),
        ("0 9 1 * *", "毎月 1日 9:00"),
        ("0 6 L * *", "毎月 末日 6:00"),
        ("*/15 * * * *", "cron 形式: */15 * * * *"),
        ("0 6 1 4 *", "cron 形式: 0 6 1 4 *"),
    ],
)
def test_a_crontab_reads_as_words(cron, words):
    assert describe(cron) == words


def test_in_english_too():
    with translation.override("en"):
        assert describe("30 7 * * 1-5") == "Weekdays (Mon–Fri) 7:30"
        assert describe("0 9 * * 1") == "Every Monday 9:00"
        assert describe("0 6 L * *") == "Monthly, last day 6:00"


@pytest.mark.parametrize(
    ("choice", "cron"),
    [
        ({"frequency": "daily"}, "30 7 * * *"),
        ({"frequency": "weekdays"}, "30 7 * * 1-5"),
        ({"frequency": "weekly", "weekday": "0"}, "30 7 * * 0"),
        ({"frequency": "monthly", "day": "15"}, "30 7 15 * *"),
        ({"frequency": "monthly", "day": "L"}, "30 7 L * *"),
    ],
)
def test_a_choice_becomes_the_crontab_that_reads_back_the_same(choice, cron):
    from datetime import time

    assert crontab(time=time(7, 30), **choice) == cron
    assert not describe(cron).startswith("cron")
