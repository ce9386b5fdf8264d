"""Download names: browsers read the UTF-8 name; the ASCII fallback is for the few that do not, and
must still be a sensible name, not what is left after the Japanese is dropped."""

from jichitai.core.files import content_disposition


def test_the_utf8_name_is_given_in_full():
    header = content_disposition("受付票_242012-2026-000001.pdf", inline=True)
    assert header.startswith("inline; ")
    assert "filename*=UTF-8''%E5%8F%97%E4%BB%98%E7%A5%A8_242012-2026-000001.pdf" in header


def test_the_ascii_fallback_does_not_start_with_the_separator_left_by_the_japanese():
    header = content_disposition("受付票_242012-2026-000001.pdf")
    assert 'filename="242012-2026-000001.pdf"' in header


def test_a_name_with_no_ascii_stem_falls_back_to_download_with_its_extension():
    assert 'filename="download.csv"' in content_disposition("申請一覧.csv")
    assert 'filename="download"' in content_disposition("申請一覧")


def test_quotes_and_backslashes_cannot_end_the_fallback_early():
    assert 'filename="ab.txt"' in content_disposition('a"\\b.txt')
