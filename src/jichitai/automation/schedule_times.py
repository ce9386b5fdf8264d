"""When a scheduled run starts, in the words staff use: 毎日, 平日(月〜金), 毎週 (a day of the week),
毎月 (a day of the month or its last day), each at a time of day. A schedule keeps a crontab (what
``croniter`` reads); this module turns a choice into one and reads one back. Anything else a
person writes as a crontab is shown as written.

(``cron-descriptor`` reads crontabs aloud, but its Japanese is machine-made: 「次において実施
06:00、Monday から Friday まで」.)"""

import re
from datetime import time

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FREQUENCIES = [
    ("daily", gettext_lazy("毎日")),
    ("weekdays", gettext_lazy("平日(月〜金)")),
    ("weekly", gettext_lazy("毎週")),
    ("monthly", gettext_lazy("毎月")),
    ("cron", gettext_lazy("cron 形式で指定")),
]
# cron numbers the days of the week from Sunday (0); staff lists start on Monday.
WEEKDAYS = [
    ("1", gettext_lazy("月曜日")),
    ("2", gettext_lazy("火曜日")),
    ("3", gettext_lazy("水曜日")),
    ("4", gettext_lazy("木曜日")),
    ("5", gettext_lazy("金曜日")),
    ("6", gettext_lazy("土曜日")),
    ("0", gettext_lazy("日曜日")),
]
LAST_DAY = "L"
DAYS = [(str(day), str(day)) for day in range(1, 29)] + [(LAST_DAY, gettext_lazy("末日"))]

_READABLE = re.compile(
    r"(?P<minute>[0-5]?\d) (?P<hour>1?\d|2[0-3]) (?P<day>\*|[1-9]|[12]\d|3[01]|L) \* "
    r"(?P<weekday>\*|1-5|[0-6])"
)


def crontab(*, frequency: str, time: time, weekday: str = "", day: str = "") -> str:
    """The crontab of a choice (not ``cron``: that one is written by hand)."""
    at = f"{time.minute} {time.hour}"
    return {
        "daily": f"{at} * * *",
        "weekdays": f"{at} * * 1-5",
        "weekly": f"{at} * * {weekday}",
        "monthly": f"{at} {day} * *",
    }[frequency]


def describe(cron: str) -> str:
    """「平日(月〜金) 7:30」 for ``30 7 * * 1-5``; a crontab no choice makes, as written."""
    match = _READABLE.fullmatch(cron.strip())
    if match is None or (match["day"] != "*" and match["weekday"] != "*"):
        return _("cron 形式: %(cron)s") % {"cron": cron}
    at = f"{int(match['hour'])}:{int(match['minute']):02d}"
    if match["day"] == LAST_DAY:
        return _("毎月 末日 %(time)s") % {"time": at}
    if match["day"] != "*":
        return _("毎月 %(day)s日 %(time)s") % {"day": match["day"], "time": at}
    if match["weekday"] == "*":
        return _("毎日 %(time)s") % {"time": at}
    if match["weekday"] == "1-5":
        return _("平日(月〜金) %(time)s") % {"time": at}
    return _("毎週 %(weekday)s %(time)s") % {
        "weekday": dict(WEEKDAYS)[match["weekday"]],
        "time": at,
    }
