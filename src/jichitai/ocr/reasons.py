"""Why a field read from paper is shown to a person (a ``FieldResult``'s ``reasons``); the review
screen words them (``models.FLAG_REASONS``) and ``jichitai ocr extract --json`` prints them."""

LOW = "low_score"
DISAGREE = "disagreement"
FORMAT = "format"
DICTIONARY = "dictionary"
FAINT = "faint_ink"
MARK = "ambiguous_mark"
UNCERTAIN_MARK = "uncertain_mark"
UNCLEAR_MARK = "mark_unclear"
POOR_SCAN = "poor_scan"
CHARACTERS = "characters"
LENGTH = "length"
GLYPHS = "glyph_count"
SMALL_KANA = "small_kana"
DATE_RANGE = "date_range"
SHIFTED = "shifted_crop"
OFF_FORM = "off_form"
MISALIGNED = "page_misaligned"
REASONS = (
    LOW,
    POOR_SCAN,
    DISAGREE,
    SHIFTED,
    OFF_FORM,
    MISALIGNED,
    FORMAT,
    CHARACTERS,
    SMALL_KANA,
    DATE_RANGE,
    LENGTH,
    GLYPHS,
    DICTIONARY,
    FAINT,
    MARK,
    UNCERTAIN_MARK,
    UNCLEAR_MARK,
)
