"""Streaming readers: a sheet's rows one at a time, never the whole file in Python objects.

- .xlsx: python-calamine (Rust, fast) turns one row at a time into Python values; openpyxl in
  read-only mode is the fallback (and `engine="openpyxl"`). Note that calamine keeps the
  decoded cell grid of the sheet in native memory while it is read (about 1.2 KB a row of the
  residents template: 120 MB at 100,000 rows); openpyxl read-only parses the XML as it goes, at
  about a tenth of the speed. Sheets estimated above settings.GONGZHI_IMPORT_CALAMINE_MAX_ROWS
  rows (default 200,000) are read with openpyxl, so memory stays bounded whatever the size.
- .csv: UTF-8 (with or without BOM) or GB18030 (a superset of GBK: Chinese Excel saves "CSV"
  in GBK). The encoding is found by decoding the whole file incrementally in 64 KiB chunks
  (bounded memory), then the file is read again with the csv module.

Row numbers are the sheet's own (1-based, the header row included), so an error names the row
the user sees in Excel. Blank rows are skipped.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .columns import HeaderMap, Template, looks_like_header, match_header

HEADER_SEARCH_ROWS = 10  # a title or note row or two above the header is tolerated
CSV_CHUNK = 64 * 1024
SUPPORTED = (".xlsx", ".csv")


def _suffix(source, filename: str | None) -> str:
    name = filename or getattr(source, "name", None) or str(source)
    return Path(str(name)).suffix.lower()


def _is_blank(cells) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def detect_csv_encoding(binary) -> str:
    """'utf-8-sig' if the bytes decode as UTF-8, else 'gb18030'. Reads in chunks; rewinds."""
    binary.seek(0)
    head = binary.read(3)
    if head == codecs.BOM_UTF8:
        binary.seek(0)
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head)
        while chunk := binary.read(CSV_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "gb18030"
    binary.seek(0)
    return encoding


def _open_binary(source):
    if isinstance(source, (str, os.PathLike)):
        return open(source, "rb"), True
    source.seek(0)
    return source, False


def iter_csv(source) -> Iterator[tuple[int, list]]:
    binary, owned = _open_binary(source)
    try:
        encoding = detect_csv_encoding(binary)
        text = io.TextIOWrapper(binary, encoding=encoding, newline="")
        try:
            for number, cells in enumerate(csv.reader(text), start=1):
                yield number, cells
        finally:
            text.detach()  # leave the caller's file open
    except UnicodeDecodeError:
        raise ValidationError(_("无法识别CSV文件的编码：请另存为UTF-8或GBK编码的CSV，或直接上传.xlsx文件。"), code="encoding")
    finally:
        if owned:
            binary.close()


def iter_xlsx_calamine(source) -> Iterator[tuple[int, list]]:
    from python_calamine import CalamineWorkbook

    if isinstance(source, (str, os.PathLike)):
        workbook = CalamineWorkbook.from_path(str(source))
    else:
        source.seek(0)
        workbook = CalamineWorkbook.from_filelike(source)
    try:
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.iter_rows()
        head = next(rows, None)
        if head is None:
            return
        # iter_rows drops empty leading columns; python-calamine 0.9 yields the empty leading
        # rows too (row 1 first), other versions start at the first used row (sheet.start).
        # The first used row holds a value, so a blank first row means "from row 1".
        start_row = (sheet.start or (0, 0))[0]
        number = 1 if start_row == 0 or _is_blank(head) else start_row + 1
        yield number, list(head)
        for number, cells in enumerate(rows, start=number + 1):
            yield number, list(cells)
    finally:
        workbook.close()


def iter_xlsx_openpyxl(source) -> Iterator[tuple[int, list]]:
    from openpyxl import load_workbook

    if not isinstance(source, (str, os.PathLike)):
        source.seek(0)
    workbook = load_workbook(source, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    finally:
        workbook.close()


def iter_raw_rows(source, *, filename: str | None = None, engine: str | None = None) -> Iterator[tuple[int, list]]:
    """Every non-blank row of the file's first sheet as (row number, cells as read)."""
    suffix = _suffix(source, filename)
    if suffix == ".csv":
        rows = iter_csv(source)
    elif suffix == ".xlsx":
        rows = _iter_xlsx(source, engine)
    else:
        raise ValidationError(_("不支持的文件类型“%(suffix)s”：请上传.xlsx或.csv文件。") % {"suffix": suffix or _("无扩展名")}, code="file_type")
    for number, cells in rows:
        if not _is_blank(cells):
            yield number, cells


def _iter_xlsx(source, engine: str | None) -> Iterator[tuple[int, list]]:
    if engine is None and estimate_rows(source) > settings.GONGZHI_IMPORT_CALAMINE_MAX_ROWS:
        engine = "openpyxl"  # bounded memory for very large sheets, at about a tenth of the speed
    if engine == "openpyxl":
        yield from iter_xlsx_openpyxl(source)
        return
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        yield from iter_xlsx_openpyxl(source)
        return
    try:
        rows = iter_xlsx_calamine(source)
        first = next(rows, None)
    except Exception:  # calamine refuses some files openpyxl reads (odd writers); try that
        yield from _openpyxl_or_unreadable(source)
        return
    if first is not None:
        yield first
        yield from rows


def _openpyxl_or_unreadable(source) -> Iterator[tuple[int, list]]:
    try:
        yield from iter_xlsx_openpyxl(source)
    except Exception:
        raise ValidationError(_("无法读取该Excel文件：请确认是.xlsx格式（不是.xls或改了扩展名的文件）且未加密。"), code="unreadable")


@dataclass
class Sheet:
    """A file opened against a template: its header, and its data rows as a stream."""

    header: HeaderMap
    rows: Iterator[tuple[int, dict]]  # (row number, {column: cell value as read})


def open_sheet(source, template: Template, *, filename: str | None = None, engine: str | None = None) -> Sheet:
    """Find and match the header row; ValidationError if there is none or columns are missing."""
    raw = iter_raw_rows(source, filename=filename, engine=engine)
    first_seen = None
    for _i, (number, cells) in zip(range(HEADER_SEARCH_ROWS), raw):
        first_seen = first_seen or (number, cells)
        if looks_like_header(template, cells):
            header = match_header(template, cells, row_number=number)
            return Sheet(header=header, rows=((n, header.row_dict(c)) for n, c in raw))
    if first_seen is None:
        raise ValidationError(_("文件是空的：没有表头，也没有数据行。"), code="empty")
    # No row looked like a header: report what the first row lacks.
    match_header(template, first_seen[1], row_number=first_seen[0])
    raise ValidationError(_("没有找到表头行。"), code="no_header")  # pragma: no cover (match_header raised)


def read_rows(source, template: Template, **kwargs) -> Iterator[tuple[int, dict]]:
    """Shortcut: the data rows of `source` as (row number, {column: value})."""
    return open_sheet(source, template, **kwargs).rows


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"')


def estimate_rows(source, *, filename: str | None = None) -> int:
    """About how many rows the file has, cheaply, for a progress bar (0 when unknown).

    .xlsx: the first worksheet's <dimension> element, or the rows in its first 64 KiB scaled
    to its size; .csv: the
    line breaks, counted in chunks. Blank rows and a multi-line cell make this approximate.
    """
    suffix = _suffix(source, filename)
    binary, owned = _open_binary(source)
    try:
        if suffix == ".csv":
            count = 0
            while chunk := binary.read(CSV_CHUNK * 16):
                count += chunk.count(b"\n")
            return count
        if suffix == ".xlsx":
            with zipfile.ZipFile(binary) as archive:
                names = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet") and n.endswith(".xml"))
                if not names:
                    return 0
                with archive.open(names[0]) as xml:
                    head = xml.read(CSV_CHUNK)
                match = _DIMENSION.search(head[:4096])
                if match:
                    return int(match.group(1))
                # no <dimension> (write-only writers omit it): scale the rows of the first bytes
                rows = head.count(b"<row ") or head.count(b"<x:row ")
                return round(rows * archive.getinfo(names[0]).file_size / len(head)) if head else 0
    except (OSError, zipfile.BadZipFile, ValueError):
        return 0
    finally:
        if owned:
            binary.close()
        else:
            binary.seek(0)
    return 0
