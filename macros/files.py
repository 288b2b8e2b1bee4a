"""A file the build adds whose text is made when MkDocs writes it (a JSON twin, data.json), and
written piece by piece: held until the build ends, thousands of twins would stay in memory, and
data.json made as one string took 70 MB at 2,000 entities (each copy of its text while it was
joined)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

Render = Callable[[], Iterable[str]]  # a file's text, in pieces written in turn


class RenderedFile(File):
    render: Render | None = None  # None: a generated file with its content given

    @classmethod
    def rendered(cls, config: MkDocsConfig, src_uri: str, render: Render) -> RenderedFile:
        file = cls.generated(config, src_uri, content="")
        assert isinstance(file, cls)
        file.render = render
        return file

    def copy_file(self, dirty: bool = False) -> None:
        if self.render is None:
            return super().copy_file(dirty)
        path = Path(self.abs_dest_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as out:
            out.writelines(self.render())
