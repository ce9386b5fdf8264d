"""The benchmarks run as scripts from benchmarks/ and import each other by module name; their tests
import them the same way."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
