"""Headless Chromium from the system's packages, driven from the command line: the DOM a page
ends up with after loading (`--dump-dom`), and screenshots. Nothing is downloaded.

The DOM comes back as HTML; `parse()` turns it into a small tree to read what a person would
see (element text) and where links lead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def chromium() -> str:
    """The browser's path; a skip without one, but a failure in CI, which must install it."""
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("CI runs the dashboard's browser tests: install chromium (.ci/run does)")
    pytest.skip("no chromium on PATH: `apt-get install chromium` runs the dashboard's browser tests")


def _run(*args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="newsmeta-chromium-") as profile:
        command = [
            chromium(),
            "--headless",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            *args,
        ]
        if os.geteuid() == 0:  # Chromium will not start its sandbox as root (CI runs as root)
            command.insert(2, "--no-sandbox")
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def dom(url: str) -> Element:
    """The page's DOM once loaded, as the browser built it."""
    return parse(_run("--virtual-time-budget=3000", "--dump-dom", url).stdout)


def screenshot(url: str, path: Path, *, width: int = 1280, height: int = 1000) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    _run(f"--window-size={width},{height}", f"--screenshot={path}", url)
    assert path.stat().st_size > 1000, f"an empty screenshot of {url}"
    return path


# --- A small DOM for reading the dumped page -----------------------------------------------------


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The element's text, whitespace collapsed: what it reads as."""
        parts: list[str] = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else f" {child.text} ")
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self) -> list[Element]:
        found = []
        for child in self.children:
            if isinstance(child, Element):
                found.append(child)
                found.extend(child.iter())
        return found

    def all(self, tag: str | None = None, *, id: str | None = None, cls: str | None = None) -> list[Element]:
        return [
            e
            for e in self.iter()
            if (tag is None or e.tag == tag)
            and (id is None or e.attrs.get("id") == id)
            and (cls is None or cls in e.classes)
        ]

    def one(self, tag: str | None = None, *, id: str | None = None, cls: str | None = None) -> Element:
        found = self.all(tag, id=id, cls=cls)
        assert found, f"no <{tag or '*'} id={id} class={cls}> on the page"
        return found[0]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root
