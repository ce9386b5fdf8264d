"""Where a run keeps its files, and how the inputs given to a run get there (used by the service
that starts a run and by the runner that executes it)."""

import shutil
from pathlib import Path

from django.conf import settings

from jichitai.automation.models import Run


def run_directory(run_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "automation" / "runs" / str(run_id)


def copy_inputs(run: Run, files: dict[str, list[tuple[str, bytes]]], kinds: dict) -> dict:
    """Stores uploaded files as the run's inputs; returns {input name: path}."""
    values = {}
    for name, entries in files.items():
        folder = run_directory(run.pk) / "inputs" / name
        folder.mkdir(parents=True, exist_ok=True)
        for file_name, content in entries:
            (folder / Path(file_name).name).write_bytes(content)
        single = kinds.get(name) != "folder" and len(entries) == 1
        values[name] = str(folder / Path(entries[0][0]).name) if single else str(folder)
    return values


def copy_path_inputs(run: Run, paths: dict[str, str]) -> dict:
    values = {}
    for name, source in paths.items():
        source_path = Path(source)
        target = run_directory(run.pk) / "inputs" / name
        if source_path.is_dir():
            shutil.copytree(source_path, target, dirs_exist_ok=True)
            values[name] = str(target)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source_path, target / source_path.name)
            values[name] = str(target / source_path.name)
    return values
