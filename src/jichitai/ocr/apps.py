from django.apps import AppConfig


class OcrConfig(AppConfig):
    name = "jichitai.ocr"
    label = "ocr"
    verbose_name = "AI-OCR(紙の届出)"

    def ready(self) -> None:
        from jichitai.ocr import engines, jobs, registrations  # noqa: F401
