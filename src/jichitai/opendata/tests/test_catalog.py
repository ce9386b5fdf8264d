"""The catalog's rules: what may be published, Excel made machine-readable, search of Japanese
text with facets, statistics from procedures with small counts suppressed, and the live metrics."""

from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from jichitai.audit.models import AuditEvent
from jichitai.core.registry import metrics
from jichitai.core.tests.samples import active_pdf_bytes, office_bytes_with, xlsx_bytes
from jichitai.opendata import selectors, services
from jichitai.opendata.models import Dataset, Resource
from jichitai.opendata.rating import openness_stars
from jichitai.opendata.tests.factories import (
    aed_csv_resource,
    aed_xlsx_resource,
    dataset,
    published,
)
from jichitai.opendata.tests.helpers import AED_HEADER, aed_row, csv_bytes

pytestmark = pytest.mark.django_db


def test_a_new_dataset_is_private_under_cc_by_until_published(tsu):
    created = dataset(tsu)

    assert created.private
    assert created.license_id == "CC-BY-4.0"
    assert not selectors.public_datasets().exists()


def test_names_are_unique_in_the_whole_installation(tsu, ise):
    dataset(tsu, name="aed")

    with pytest.raises(ValidationError) as error:
        dataset(ise, name="aed")
    assert "すでに使われています" in str(error.value.message_dict["name"])


@pytest.mark.parametrize("name", ["AED", "a", "津市aed", "aed list"])
def test_a_url_name_must_be_lowercase_ascii(tsu, name):
    with pytest.raises(ValidationError) as error:
        dataset(tsu, name=name)
    assert "name" in error.value.message_dict


def test_an_unknown_license_is_refused(tsu):
    with pytest.raises(ValidationError) as error:
        dataset(tsu, license_id="all-rights-reserved")
    assert "license_id" in error.value.message_dict


def test_an_excel_upload_is_kept_and_gets_a_clean_csv_with_the_report(tsu):
    created = dataset(tsu)

    original = aed_xlsx_resource(created, title="AED一覧", notes=["※ 開館時間内のみ"])

    csv_resource = original.derived.get()
    assert original.format == "XLSX" and csv_resource.format == "CSV"
    assert csv_resource.filename == "aed.csv"
    raw = csv_resource.file.read()
    assert raw.startswith(b"\xef\xbb\xbf")  # Japanese Excel opens it as UTF-8
    content = raw.decode("utf-8-sig")
    assert content.splitlines()[0].startswith("都道府県コード又は市区町村コード,NO,")
    assert "AED一覧" not in content and "※" not in content
    assert csv_resource.validation_status == Resource.Validation.WARNINGS
    assert any("表題" in f["text"] for f in csv_resource.conversion["findings"])


def test_a_shift_jis_csv_is_stored_as_utf8(tsu):
    created = dataset(tsu)

    resource = services.add_resource(
        actor=None,
        dataset=created,
        upload=SimpleUploadedFile("aed.csv", csv_bytes([aed_row(1)], encoding="cp932")),
    )

    assert resource.file.read().decode("utf-8-sig").startswith("都道府県コード")
    assert resource.conversion["encoding"] == "cp932"


def test_a_table_saved_as_unicode_text_is_stored_as_a_utf8_csv_and_checked(tsu):
    created = dataset(tsu)
    tab_separated = "".join(
        "\t".join(str(cell) for cell in row) + "\r\n"
        for row in [AED_HEADER, aed_row(1, 都道府県コード又は市区町村コード="242013")]
    )

    resource = services.add_resource(
        actor=None,
        dataset=created,
        upload=SimpleUploadedFile("aed.txt", tab_separated.encode("utf-16")),
        standard="aed",
    )

    assert (resource.name, resource.format, resource.filename, resource.mimetype) == (
        "aed.csv",
        "CSV",
        "aed.csv",
        "text/csv",
    )
    assert resource.file.read().decode("utf-8-sig").startswith("都道府県コード又は市区町村コード,")
    assert resource.conversion["encoding"] == "utf-16"
    assert resource.conversion["source_file"] == "aed.txt"
    assert [(e["rule"], e["value"]) for e in resource.validation["errors"]] == [
        ("check-digit", "242013")
    ]


def test_a_text_file_that_is_not_a_table_is_kept_as_text(tsu):
    created = dataset(tsu)

    resource = services.add_resource(
        actor=None,
        dataset=created,
        upload=SimpleUploadedFile("readme.txt", "AED の設置場所の一覧です。\r\n".encode()),
    )

    assert (resource.format, resource.filename) == ("TXT", "readme.txt")
    assert resource.conversion == {}


def test_a_comma_separated_text_file_declared_a_standard_dataset_is_checked_as_a_csv(tsu):
    created = dataset(tsu)
    text = csv_bytes([aed_row(1, 都道府県コード又は市区町村コード="242013")], encoding="cp932")

    resource = services.add_resource(
        actor=None,
        dataset=created,
        upload=SimpleUploadedFile("aed.txt", text),
        standard="aed",
    )

    assert (resource.format, resource.filename) == ("CSV", "aed.csv")
    assert resource.conversion["source_file"] == "aed.txt"
    assert resource.conversion["encoding"] == "cp932"
    assert [(e["rule"], e["value"]) for e in resource.validation["errors"]] == [
        ("check-digit", "242013")
    ]


def test_a_text_file_declared_a_standard_dataset_that_is_no_table_is_refused_with_the_reason(tsu):
    created = dataset(tsu)

    with pytest.raises(ValidationError) as error:
        services.add_resource(
            actor=None,
            dataset=created,
            upload=SimpleUploadedFile("aed.txt", '"津市役所\r\n'.encode()),
            standard="aed",
        )

    assert error.value.message_dict["upload"] == [
        "「aed.txt」を表として読めません: 1行目から CSV として読めません"
        '(引用符(")が閉じられないまま、ファイルが終わっています)。'
    ]
    assert not Resource.objects.exists()


def test_a_file_giving_a_standard_column_twice_is_stored_with_the_error_naming_it(tsu):
    created = dataset(tsu)
    upload = csv_bytes([[*aed_row(1), "津市役所 本庁舎"]], header=[*AED_HEADER, "名称"])

    resource = services.add_resource(
        actor=None,
        dataset=created,
        upload=SimpleUploadedFile("aed.csv", upload),
        standard="aed",
    )

    assert resource.validation_status == Resource.Validation.INVALID
    assert [(e["rule"], e["column"]) for e in resource.validation["errors"]] == [
        ("duplicate-column", "名称")
    ]


def test_a_dataset_whose_check_fails_is_not_published(tsu):
    created = dataset(tsu)
    aed_csv_resource(created, [aed_row(1, 都道府県コード又は市区町村コード="242013")])

    with pytest.raises(ValidationError) as error:
        services.publish_dataset(actor=None, dataset=created)

    assert "検証でエラー" in str(error.value)
    created.refresh_from_db()
    assert created.private


def test_a_clerk_cannot_override_a_failed_check_but_a_manager_can_with_a_reason(tsu, make_member):
    manager = make_member(tsu, "manager")
    created = dataset(tsu)
    aed_csv_resource(created, [aed_row(1, 緯度="north")])

    with pytest.raises(ValidationError) as error:
        services.publish_dataset(actor=None, dataset=created, override_reason="急ぎ")
    assert "override_reason" in error.value.message_dict

    with translation.override("en"):  # the audit log reads in Japanese whoever published
        services.publish_dataset(
            actor=manager,
            dataset=created,
            may_override=True,
            override_reason="緯度は次回更新で補う。名称と住所は正しい。",
        )

    created.refresh_from_db()
    assert not created.private
    assert created.override_by == manager
    event = AuditEvent.objects.get(action="opendata.dataset_published")
    assert event.summary == "検証エラーを承知で公開: 緯度は次回更新で補う。名称と住所は正しい。"


def test_fixing_the_file_makes_the_dataset_publishable(tsu):
    created = dataset(tsu)
    resource = aed_csv_resource(created, [aed_row(1, 小児対応設備の有無="あり")])
    assert resource.validation_status == Resource.Validation.INVALID

    services.replace_resource_file(
        actor=None,
        resource=resource,
        upload=SimpleUploadedFile("aed.csv", csv_bytes([aed_row(1, 小児対応設備の有無="有")])),
    )

    resource.refresh_from_db()
    assert resource.validation_status == Resource.Validation.WARNINGS
    services.publish_dataset(actor=None, dataset=created)


def test_a_list_replaced_by_its_unicode_text_save_stays_a_checked_csv(tsu):
    resource = aed_csv_resource(dataset(tsu), [aed_row(1, 小児対応設備の有無="あり")])
    tab_separated = "".join(
        "\t".join(str(cell) for cell in row) + "\r\n"
        for row in [AED_HEADER, aed_row(1, 小児対応設備の有無="有")]
    )

    services.replace_resource_file(
        actor=None,
        resource=resource,
        upload=SimpleUploadedFile("list.txt", tab_separated.encode("utf-16")),
    )

    resource.refresh_from_db()
    assert (resource.format, resource.filename) == ("CSV", "list.csv")
    assert resource.file.read().decode("utf-8-sig").splitlines()[1].endswith(",有")
    assert resource.validation_status == Resource.Validation.WARNINGS


def test_a_public_dataset_does_not_take_a_file_that_fails_its_check(tsu):
    found = published(tsu)
    resource = found.resources.get()

    with pytest.raises(ValidationError) as error:
        services.replace_resource_file(
            actor=None,
            resource=resource,
            upload=SimpleUploadedFile("aed.csv", csv_bytes([aed_row(1, 緯度="136", 経度="34")])),
        )

    assert "公開中のデータセット" in str(error.value)
    resource.refresh_from_db()
    assert resource.validation_status == Resource.Validation.WARNINGS


def test_a_public_datasets_refusal_names_each_error_by_its_row_and_column_where_it_has_them(tsu):
    resource = published(tsu).resources.get()
    upload = csv_bytes(
        [[*aed_row(1, 緯度="136", 経度="34"), "本庁舎"]], header=[*AED_HEADER, "名称"]
    )

    with pytest.raises(ValidationError) as error:
        services.replace_resource_file(
            actor=None, resource=resource, upload=SimpleUploadedFile("aed.csv", upload)
        )

    [message] = error.value.messages
    assert "「名称」列: 「名称」の列が2つあります" in message
    assert "2行目「緯度」列: " in message
    assert "-行目" not in message


def test_a_refused_upload_leaves_no_file_and_no_row(tsu, settings):
    from pathlib import Path

    created = dataset(tsu)

    with pytest.raises(ValidationError):
        services.add_resource(
            actor=None,
            dataset=created,
            upload=SimpleUploadedFile("aed.xlsx", b"PK\x03\x04broken"),
            standard="aed",
        )

    assert not Resource.objects.exists()
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", active_pdf_bytes("open_javascript"), "JavaScript"),
        (
            "aed.xlsx",
            office_bytes_with(xlsx_bytes([["名称"], ["津市役所"]]), {"xl/vbaProject.bin": b"x"}),
            "マクロ",
        ),
    ],
)
def test_open_data_with_active_content_is_refused(tsu, name, content, message):
    created = dataset(tsu)

    with pytest.raises(ValidationError, match=message):
        services.add_resource(actor=None, dataset=created, upload=SimpleUploadedFile(name, content))

    assert not Resource.objects.exists()


def test_openness_stars_follow_the_best_format_under_an_open_license():
    assert openness_stars("CC-BY-4.0", ["PDF"]) == 1
    assert openness_stars("CC-BY-4.0", ["PDF", "XLSX"]) == 2
    assert openness_stars("CC-BY-4.0", ["XLSX", "CSV"]) == 3
    assert openness_stars("CC-BY-4.0", ["TTL"]) == 4
    assert openness_stars("proprietary", ["CSV"]) == 0
    assert openness_stars("CC-BY-4.0", []) == 0


def test_search_finds_japanese_words_inside_titles_without_spaces(tsu, ise):
    published(tsu, "tsu-aed", title="津市AED設置箇所一覧", tags=["救命"])
    published(ise, "ise-shelters", title="伊勢市指定緊急避難場所一覧", notes="津波のときの避難先")

    def titles(text, **filters):
        query = selectors.SearchQuery(text=text, **filters)
        return [
            d.title for d in selectors.search(query, visible=selectors.public_datasets()).datasets
        ]

    assert titles("避難") == ["伊勢市指定緊急避難場所一覧"]
    assert titles("ＡＥＤ") == ["津市AED設置箇所一覧"]  # full-width input matches
    assert titles("救命") == ["津市AED設置箇所一覧"]  # tags are searched
    assert titles("津波") == ["伊勢市指定緊急避難場所一覧"]  # so are descriptions
    assert titles("一覧 伊勢") == ["伊勢市指定緊急避難場所一覧"]  # every word must match
    assert sorted(titles("", organizations=["242012"])) == ["津市AED設置箇所一覧"]


def test_search_counts_facets_over_all_matches(tsu, ise, prefecture):
    published(tsu, "a1", title="一覧A", tags=["防災"])
    published(tsu, "a2", title="一覧B", tags=["防災", "AED"])
    published(ise, "a3", title="一覧C", tags=["観光"])
    dataset(ise, "draft", title="一覧D", tags=["防災"])

    result = selectors.search(
        selectors.SearchQuery(
            text="一覧", rows=1, facet_fields=("tags", "organization", "res_format")
        ),
        visible=selectors.public_datasets(),
    )

    assert result.count == 3 and len(result.datasets) == 1
    assert {f.name: f.count for f in result.facets["tags"]} == {"防災": 2, "AED": 1, "観光": 1}
    assert {f.display_name: f.count for f in result.facets["organization"]} == {
        "津市": 2,
        "伊勢市": 1,
    }
    assert {f.name: f.count for f in result.facets["res_format"]} == {"CSV": 3}


def test_statistics_from_a_procedure_suppress_small_counts_and_hold_no_personal_data(prefecture):
    from jichitai.procedures import services as procedures
    from jichitai.procedures.tests.factories import event_data, published_procedure

    event = published_procedure(prefecture, name="講座")
    for number in range(6):
        procedures.submit_application(
            procedure=event, data=event_data(number, needs_support="希望しない")
        )
    procedures.submit_application(
        procedure=event,
        data=event_data(6, needs_support="希望する", support_detail="車椅子で参加します"),
    )

    created = services.create_statistics_dataset(
        actor=None, organization=prefecture, procedure=event, name="event-stats", title="集計"
    )

    content = created.resources.get().file.read().decode("utf-8")
    lines = content.splitlines()
    assert lines[0] == "期間,集計項目,区分,件数"
    assert any(line.endswith(",受付件数,オンライン,7") for line in lines)
    assert "全期間,支援の希望,希望する,秘匿" in lines  # 1 is under the threshold of 5
    # With the total of 7 published, 6 would reveal the 1 by subtraction: it is hidden too.
    assert "全期間,支援の希望,希望しない,秘匿" in lines
    for personal in ("三重", "太郎", "taro0@example.jp", "車椅子で参加します"):
        assert personal not in content


@pytest.mark.parametrize(
    ("counts", "groups", "shown"),
    [
        # A total of 6 with 会場 5 would reveal オンライン = 1.
        ([5, 1], [], ["秘匿", "秘匿"]),
        # Within a year the smallest other count is hidden; the zero counts as one.
        ([12, 0, 3], [], ["12", "秘匿", "秘匿"]),
        # Two years: the year with one hidden count hides another; then the whole table (whose
        # total is known) hides two.
        ([30, 2, 40, 50], [[0, 1], [2, 3]], ["秘匿", "秘匿", "40", "50"]),
        ([8, 9, 7], [], ["8", "9", "7"]),
    ],
)
def test_no_published_total_row_or_column_lets_a_suppressed_count_be_computed(
    counts, groups, shown
):
    from jichitai.opendata.services.statistics import protected_counts

    published_counts = protected_counts(counts=counts, groups=groups, threshold=5)

    assert published_counts == shown
    for group in [*groups, list(range(len(counts)))]:
        assert sum(published_counts[i] == "秘匿" for i in group) != 1


def test_statistics_refresh_picks_up_new_applications(prefecture):
    from jichitai.procedures import services as procedures
    from jichitai.procedures.tests.factories import event_data, published_procedure

    event = published_procedure(prefecture, name="講座")
    for _ in range(5):
        procedures.submit_application(procedure=event, data=event_data())
    created = services.create_statistics_dataset(
        actor=None, organization=prefecture, procedure=event, name="event-stats", title="講座の申込"
    )
    procedures.submit_application(procedure=event, data=event_data())

    services.refresh_statistics(dataset=created)

    assert ",受付件数,オンライン,6" in created.resources.get().file.read().decode("utf-8")


def test_published_dataset_metrics_count_by_the_end_of_the_fiscal_year(prefecture, tsu, ise):
    first = published(tsu, "old")
    Dataset.objects.filter(pk=first.pk).update(
        first_published_at=timezone.make_aware(datetime(2025, 3, 31, 12))
    )
    published(tsu, "new")
    published(ise, "ise")

    count = metrics.get("opendata.published_datasets").compute
    municipalities = metrics.get("opendata.publishing_municipalities").compute

    assert count(tsu, 2024) == 1
    assert count(tsu, 2026) == 2
    assert municipalities(prefecture, 2024) == 1
    assert municipalities(prefecture, 2026) == 2
    assert municipalities(tsu, 2026) is None


def test_downloads_are_counted(tsu):
    resource = published(tsu).resources.get()

    services.record_download(resource=resource)
    services.record_download(resource=resource)

    resource.refresh_from_db()
    assert resource.download_count == 2
