"""Steps on the run's input files."""

import fnmatch

from django.utils.translation import gettext_noop

from jichitai.automation.registry import STRING, step


@step(
    "files.list",
    gettext_noop("ファイルの一覧"),
    properties={"input": STRING, "pattern": STRING},
    required=["input"],
)
def files_list(ctx, input, pattern="*"):
    folder = ctx.input_path(input)
    paths = [folder] if folder.is_file() else sorted(p for p in folder.rglob("*") if p.is_file())
    return [
        {"path": str(path), "name": path.name}
        for path in paths
        if fnmatch.fnmatch(path.name, pattern)
    ]
