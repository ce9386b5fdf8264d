"""What the tests of the resident's languages look for: Japanese script (kana and kanji) left in
text that should be in another language. A run of it, so ``findall`` names each leftover."""

import re

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]+")
