"""Hand-made sheets for the import tests."""

import csv

from openpyxl import Workbook

from gongzhi.core import pii
from gongzhi.people.imports.columns import MEMBERS, RESIDENTS

import datetime as dt
import itertools

from gongzhi.core.validators import id_check_char

_numbers = itertools.count()


def id_number(*, male: bool = True) -> str:
    """A valid ID number, unique for the whole test run (the factory's repeat after 500)."""
    n = next(_numbers)
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=n // 400)
    first17 = f"410305{birth:%Y%m%d}{(n % 400) * 2 + (1 if male else 0):03d}"
    return first17 + id_check_char(first17)


def write_xlsx(path, header, rows, *, title_rows=()):
    workbook = Workbook()
    sheet = workbook.active
    for row in title_rows:
        sheet.append(list(row))
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def write_csv(path, header, rows, *, encoding="utf-8-sig"):
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def resident(**values):
    """A residents row in template order; by default a new, valid person in 幸福家园 1号楼."""
    row = {
        "姓名": "新居民", "公民身份号码": id_number(), "性别": "男", "民族": "汉族", "联系电话": "13900001111",
        "社区": "幸福社区", "小区": "幸福家园", "楼栋": "1号楼", "单元": "", "房号": "3-301", "与户主关系": "本人",
        "政治面貌": "群众", "备注": "",
    } | values
    return [row[c] for c in RESIDENTS.columns]


def member(**values):
    row = {
        "公民身份号码": "", "姓名": "", "所在党组织": "幸福家园党支部", "党员类型": "正式", "入党日期": "2010-07-01",
        "转正日期": "2011-07-01", "是否在外": "否", "在外地点": "", "报到单位": "",
    } | values
    return [row[c] for c in MEMBERS.columns]


def plain_id(person) -> str:
    return pii.decrypt(person.id_number_enc)


def zhangsan_row(world, **values):
    """张三 exactly as the database holds him (an unchanged row)."""
    return resident(**{
        "姓名": "张三", "公民身份号码": plain_id(world.zhangsan), "联系电话": "13812345678", "房号": "1-101",
        "与户主关系": "本人", "政治面貌": "中共党员",
    } | values)
