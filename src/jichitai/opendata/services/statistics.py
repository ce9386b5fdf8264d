"""Statistics datasets: counts of a procedure's applications, published as a CSV that the schedule
``opendata.refresh_statistics`` regenerates; counts under the dataset's threshold are 「秘匿」."""

import csv
import io
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jichitai.accounts.models import User
from jichitai.audit import services as audit
from jichitai.core.files import delete_stored_on_commit
from jichitai.core.japanese import fiscal_year_label
from jichitai.opendata.models import Dataset, Resource
from jichitai.opendata.services.datasets import _touch, create_dataset
from jichitai.opendata.services.resources import _sha256, _StoredFiles
from jichitai.tenancy.models import Organization

if TYPE_CHECKING:
    from jichitai.procedures.models import Procedure


def _statistics_rows(dataset: Dataset) -> list[list[str]]:
    """Aggregate counts of the source procedure's applications: per 年度 and channel, and per
    answer of each choice question. No answer text and nothing about a person leaves; a count
    under the threshold is 「秘匿」, and so are the further counts that would let it be computed
    (``protected_counts``)."""
    from jichitai.procedures import selectors as procedures
    from jichitai.procedures.models import Application, Procedure

    # Only a statistics dataset (made with a source procedure, ``create_statistics_dataset``) is here.
    procedure = cast(Procedure, dataset.source_procedure)
    threshold = dataset.suppression_threshold
    channel_labels = dict(Application.Channel.choices)
    counts = sorted(procedures.counts_by_fiscal_year_and_channel(procedure).items())
    # The channel counts of one 年度 add up to that year's applications, and all of them to the
    # total that a required question's answers also add up to: the whole table is one group too.
    by_year: dict[int, list[int]] = {}
    for position, ((year, _channel), _count) in enumerate(counts):
        by_year.setdefault(year, []).append(position)
    shown = protected_counts(
        counts=[count for _key, count in counts], groups=[*by_year.values()], threshold=threshold
    )
    rows = [
        [fiscal_year_label(year), _("受付件数"), str(channel_labels.get(channel, channel)), value]
        for ((year, channel), _count), value in zip(counts, shown, strict=True)
    ]
    for question in procedures.survey_tally(procedure):
        answers = [answer["count"] for answer in question["choices"]]
        shown = protected_counts(counts=answers, groups=[], threshold=threshold)
        for answer, value in zip(question["choices"], shown, strict=True):
            rows.append([_("全期間"), question["label"], answer["label"], value])
    return rows


def protected_counts(*, counts: list[int], groups: list[list[int]], threshold: int) -> list[str]:
    """The counts as published: each count from 1 to under ``threshold`` is 「秘匿」 (primary
    suppression), and in every group whose sum is known or can be derived (each of ``groups``,
    given as positions, and the whole list) that hides exactly one count, the smallest other
    count is hidden too (complementary suppression), so no suppressed count is the difference of a
    published total and published counts. Repeated until no group hides exactly one."""
    hidden = {i for i, count in enumerate(counts) if 0 < count < threshold}
    everything = list(range(len(counts)))
    changed = True
    while changed:
        changed = False
        for group in [*groups, everything]:
            if len(group) < 2 or len(hidden.intersection(group)) != 1:
                continue
            others = [i for i in group if i not in hidden]
            hidden.add(min(others, key=lambda i: (counts[i], i)))
            changed = True
    return [_("秘匿") if i in hidden else str(count) for i, count in enumerate(counts)]


# Words in a procedure's or its division's name that mark it as welfare (福祉): counts of such
# applications can tell who receives support in a small place.
WELFARE_WORDS = (
    "福祉",
    "介護",
    "障害",
    "障がい",
    "生活保護",
    "扶養",
    "ひとり親",
    "医療費",
    "虐待",
    "保護",
)


def is_welfare_procedure(*, procedure: "Procedure") -> bool:
    names = [procedure.name, procedure.division.name if procedure.division_id else ""]
    return any(word in name for name in names for word in WELFARE_WORDS)


STATISTICS_HEADER = ["期間", "集計項目", "区分", "件数"]


@transaction.atomic
def create_statistics_dataset(
    *,
    actor: User | None,
    organization: Organization,
    procedure: "Procedure",
    name: str,
    title: str,
    suppression_threshold: int = 5,
    **fields: Any,
) -> Dataset:
    if procedure.organization_id != organization.pk:
        raise ValidationError({"source_procedure": _("自団体の手続を選んでください。")})
    if suppression_threshold < 1:
        raise ValidationError({"suppression_threshold": _("1以上の数を入力してください。")})
    dataset = create_dataset(
        actor=actor,
        organization=organization,
        name=name,
        title=title,
        source_procedure=procedure,
        suppression_threshold=suppression_threshold,
        notes=fields.pop("notes", "")
        or _(
            "手続「%(procedure)s」の受付件数と選択式の設問の回答数を集計したものです。%(threshold)d件未満の数は個人が特定されないよう「秘匿」としています。"
        )
        % {"procedure": procedure.name, "threshold": suppression_threshold},
        **fields,
    )
    refresh_statistics(dataset=dataset, actor=actor)
    return dataset


@transaction.atomic
def refresh_statistics(*, dataset: Dataset, actor: User | None = None) -> Resource:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(STATISTICS_HEADER)
    writer.writerows(_statistics_rows(dataset))
    content = buffer.getvalue().encode("utf-8")
    resource = dataset.resources.filter(derived_from__isnull=True, format="CSV").first()
    old = (resource.file.storage, resource.file.name) if resource and resource.file else None
    if resource is None:
        resource = Resource(
            organization=dataset.organization,
            dataset=dataset,
            name=_("集計結果"),
            description=_("定期的に自動で更新されます。"),
            format="CSV",
            position=0,
        )
    elif resource.sha256 == _sha256(content):
        return resource
    files = _StoredFiles()
    try:
        files.save(resource, f"{dataset.name}.csv", content)
        resource.filename = f"{dataset.name}.csv"
        resource.mimetype = "text/csv"
        resource.size = len(content)
        resource.sha256 = _sha256(content)
        resource.save()
        _touch(dataset)
    except BaseException:
        files.discard()
        raise
    if old:
        delete_stored_on_commit([old])
    audit.record(
        action="opendata.statistics_refreshed",
        actor=actor,
        organization=dataset.organization,
        target=dataset,
    )
    return resource
