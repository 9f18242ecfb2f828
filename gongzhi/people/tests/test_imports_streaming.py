"""Import: the readers stream (Python memory does not grow with the number of rows).

Measured on a 20,000-row residents sheet (13 columns): holding every row as a dict costs about
29 MB of Python memory; streaming through them peaks at about 0.01 MB with calamine (.xlsx) and
0.1 MB for CSV. The bound, 2 MB, leaves room for allocator and gc variance and is still over
10x below holding the rows, which the test measures alongside to show the bound means something.
(calamine keeps the sheet's decoded cells in native memory, which tracemalloc does not see;
openpyxl read-only, the fallback, parses as it goes but is about 20x slower, so it is checked
on a smaller sheet.)
"""

import csv
import tracemalloc

import pytest
from openpyxl import Workbook

from gongzhi.people.imports.columns import RESIDENTS
from gongzhi.people.imports.reader import open_sheet

ROWS = 20_000
BOUND = 2_000_000  # bytes


def _row(i):
    return [f"居民{i}", f"41030519800101{i % 10000:04d}", "男", "汉族", f"139{i:08d}", "幸福社区", "幸福家园", "1号楼", "", f"{i}", "本人", "群众", "备注文字"]


@pytest.fixture(scope="module")
def big_xlsx(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "residents.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(RESIDENTS.columns))
    for i in range(ROWS):
        sheet.append(_row(i))
    workbook.save(path)
    return path


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "residents.csv"
    with open(path, "w", encoding="gbk", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(RESIDENTS.columns)
        writer.writerows(_row(i) for i in range(ROWS))
    return path


def _peak(consume) -> tuple[int, int]:
    tracemalloc.start()
    try:
        result = consume()
        return tracemalloc.get_traced_memory()[1], result
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fixture", ["big_xlsx", "big_csv"])
def test_reading_streams(request, fixture):
    path = request.getfixturevalue(fixture)
    streamed, count = _peak(lambda: sum(1 for _ in open_sheet(path, RESIDENTS).rows))
    held, rows = _peak(lambda: list(open_sheet(path, RESIDENTS).rows))
    assert count == len(rows) == ROWS
    assert streamed < BOUND < held / 10, (streamed, held)


def test_openpyxl_fallback_streams(tmp_path):
    path = tmp_path / "r.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(RESIDENTS.columns))
    for i in range(800):
        sheet.append(_row(i))
    workbook.save(path)
    streamed, count = _peak(lambda: sum(1 for _ in open_sheet(path, RESIDENTS, engine="openpyxl").rows))
    held, _rows = _peak(lambda: list(open_sheet(path, RESIDENTS, engine="openpyxl").rows))
    assert count == 800 and streamed < held / 2, (streamed, held)


def test_very_large_sheets_are_read_with_openpyxl(big_xlsx, settings, monkeypatch):
    """Above GONGZHI_IMPORT_CALAMINE_MAX_ROWS (estimated), calamine's in-memory sheet is avoided."""
    from gongzhi.people.imports import reader

    used = []
    real = reader.iter_xlsx_openpyxl
    monkeypatch.setattr(reader, "iter_xlsx_openpyxl", lambda source: used.append(source) or real(source))
    settings.GONGZHI_IMPORT_CALAMINE_MAX_ROWS = ROWS * 2  # the estimate is within about 5%
    def first_row():
        number, cells = next(iter(open_sheet(big_xlsx, RESIDENTS).rows))
        return number, {k: v or None for k, v in cells.items()}  # an empty cell: "" or None

    first = first_row()
    assert not used
    settings.GONGZHI_IMPORT_CALAMINE_MAX_ROWS = ROWS // 2
    assert first_row() == first and used
