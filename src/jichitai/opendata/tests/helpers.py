"""Tables for the tests: Excel workbooks laid out the way staff make them, CSV in each encoding."""

import io

from openpyxl import Workbook

AED_HEADER = [
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "名称",
    "名称_カナ",
    "住所",
    "緯度",
    "経度",
    "設置位置",
    "開始時間",
    "終了時間",
    "小児対応設備の有無",
]


def aed_row(number=1, **changes) -> list:
    row = dict(
        zip(
            AED_HEADER,
            [
                "242012",
                str(number),
                "三重県",
                "津市",
                f"施設{number}",
                "シセツ",
                "三重県津市西丸之内23-1",
                "34.7185",
                "136.5056",
                "1階ロビー",
                "08:30",
                "17:15",
                "有",
            ],
            strict=True,
        )
    )
    row.update(changes)
    return [row[name] for name in AED_HEADER]


def workbook_bytes(rows, *, title=None, merges=(), notes=(), header=AED_HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "一覧"
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    if notes:
        sheet.append([])
        for note in notes:
            sheet.append([note])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, *, encoding="utf-8", header=AED_HEADER, delimiter=",") -> bytes:
    lines = [delimiter.join(header), *(delimiter.join(str(c) for c in row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)
