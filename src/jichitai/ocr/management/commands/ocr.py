import json
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jichitai.core.extras import MissingExtra
from jichitai.ocr import pages, template
from jichitai.ocr.engines import DEFAULT_ENGINE
from jichitai.ocr.extract import Extractor
from jichitai.ocr.registry import engines


class Command(BaseCommand):
    help = (
        "AI-OCR: 紙の様式を読み取ります。"
        "extract --template TEMPLATE.json SCAN [SCAN …] --json は、スキャンの各ページについて "
        '{"file", "page", "aligned", "alignment_score", "fields": {名前: {"value", "raw", '
        '"confidence", "valid", "flagged", "reasons", "notes"}}, "seconds"} を1行ずつ JSON で'
        "出力します。flagged は人が確認すべき項目、reasons はその理由 (low_score: 確信度が低い、"
        "disagreement: 2回の読取が不一致、format: 形式の誤り、characters: 項目に合わない文字、"
        "length: 文字数が記入の幅と合わない、small_kana: 小さい仮名がありえない位置にある、"
        "date_range: 日付が遠い過去・未来、"
        "shifted_crop: 記入や枠線が読取範囲の端にかかり、ずらして読むと結果が変わる、"
        "dictionary: 辞書にない地名・番号、異体字や形の似た字の可能性、"
        "faint_ink: 薄い記入、ambiguous_mark: 印があいまい、"
        "uncertain_mark: 印の有無を判断する根拠が弱い、"
        "mark_unclear: チェック欄に薄い・小さい記入がある、poor_scan: 読取画像が粗い)、"
        "notes は辞書による補正です。"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        extract = sub.add_parser("extract", help="Read scans against a template.")
        extract.add_argument("--template", required=True, help="Template JSON file.")
        extract.add_argument("scans", nargs="+", help="PDF, TIFF, JPEG or PNG files.")
        extract.add_argument("--json", action="store_true", help="One JSON object per page.")
        extract.add_argument("--engine", default=DEFAULT_ENGINE, choices=engines.names())

    def handle(self, *args, **options):
        try:
            self._extract(options)
        except MissingExtra as missing:
            raise CommandError(str(missing)) from None

    def _extract(self, options):
        try:
            loaded = template.load(options["template"])
        except (OSError, template.TemplateError) as error:
            raise CommandError(f"テンプレートを読み込めません: {error}") from None
        try:
            reference = next(pages.load_pages(loaded.reference_path.read_bytes(), dpi=loaded.dpi))
        except (OSError, pages.PageError, StopIteration) as error:
            raise CommandError(
                f"白紙の様式 {loaded.reference_path} を読み込めません: {error}"
            ) from None
        loaded.check_boxes(reference.shape[1], reference.shape[0])
        engine = engines.get(options["engine"])
        if not engine.available():
            raise CommandError(f"OCR エンジン {options['engine']} はこの環境にありません。")
        extractor = Extractor(loaded, reference, options["engine"])
        failed = False
        for scan in options["scans"]:
            for record in self._scan(extractor, Path(scan), loaded.dpi):
                failed = failed or "error" in record
                if options["json"]:
                    self.stdout.write(json.dumps(record, ensure_ascii=False))
                else:
                    self._human(record)
        if failed:
            sys.exit(1)

    def _scan(self, extractor, path: Path, dpi: int):
        started = time.perf_counter()
        number = 0
        try:
            data = path.read_bytes()
            for number, page in enumerate(pages.load_pages(data, dpi=dpi), start=1):
                result = extractor.extract(page)
                yield {"file": str(path), "page": number, **result.to_dict()}
                started = time.perf_counter()
        except (OSError, pages.PageError) as error:
            yield {
                "file": str(path),
                "page": number + 1,
                "aligned": False,
                "alignment_score": 0.0,
                "fields": {},
                "seconds": round(time.perf_counter() - started, 4),
                "error": str(error)
                if isinstance(error, pages.PageError)
                else "ファイルを開けません。",
            }

    def _human(self, record):
        self.stdout.write(f"{record['file']} p.{record['page']}")
        if "error" in record:
            self.stdout.write(f"  エラー: {record['error']}")
            return
        if not record["aligned"]:
            self.stdout.write(f"  様式と位置を合わせられません(score {record['alignment_score']})")
            return
        for name, field in record["fields"].items():
            mark = "!" if field["flagged"] else " "
            why = f" [{', '.join(field['reasons'])}]" if field["reasons"] else ""
            self.stdout.write(f" {mark}{name}: {field['value']!r} ({field['confidence']:.2f}){why}")
