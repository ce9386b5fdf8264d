"""Staff pages, by subject: the procedure catalog and フォームシェア (``catalog``), the form
builder and XLSForm import (``builder``), the inbox (``inbox``), exports and results (``results``)."""
