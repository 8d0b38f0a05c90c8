"""The entries of a folder, read without following a link: only regular files are opened.

A symbolic link, a device, a pipe or a socket in the landing area is reported by its name and
never read; a file is opened with O_NOFOLLOW and checked to be regular on the open handle, so
a link put in its place between the listing and the open is refused too.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

FILE, FOLDER, LINK, OTHER = "file", "folder", "link", "other"


class NotRegularFile(OSError):
    """An entry that is not a regular file where one was expected (never read)."""


@dataclass(frozen=True)
class Entry:
    name: str
    path: Path
    kind: str  # file | folder | link | other (device, pipe, socket)
    size: int


def kind_of(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return LINK
    if stat.S_ISREG(mode):
        return FILE
    if stat.S_ISDIR(mode):
        return FOLDER
    return OTHER


def entries(folder: Path) -> list[Entry]:
    """The entries of `folder` sorted by name, none of them followed."""
    out = []
    with os.scandir(folder) as it:
        for e in it:
            st = e.stat(follow_symlinks=False)
            out.append(Entry(e.name, Path(e.path), kind_of(st.st_mode), st.st_size))
    return sorted(out, key=lambda e: e.name)


def kind_at(path: Path) -> str | None:
    """The kind of the entry at `path` (not followed), None when there is none."""
    try:
        return kind_of(os.lstat(path).st_mode)
    except FileNotFoundError:
        return None


def open_regular(path: Path) -> BinaryIO:
    """`path` opened for reading if it is a regular file; never through a link."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFile(f"{path} is not a regular file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def regular_size(path: Path) -> int:
    """The size of a regular file (not followed); NotRegularFile for anything else."""
    st = os.lstat(path)
    if not stat.S_ISREG(st.st_mode):
        raise NotRegularFile(f"{path} is not a regular file")
    return st.st_size
