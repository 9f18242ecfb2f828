"""The blank import templates to download: .xlsx (header, text-formatted ID and phone columns,
an example row to delete, and a sheet of instructions) and .csv (UTF-8 with BOM, header only)."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .imports import columns as C

TEXT_COLUMNS = {C.ID_NUMBER, C.PHONE, C.ROOM}
EXAMPLES = {
    "residents": {C.NAME: "张三", C.ID_NUMBER: "11010519491231002X", C.GENDER: "女", C.ETHNICITY: "汉族", C.PHONE: "13812345678",
                  C.COMMUNITY: "幸福社区", C.COMPOUND: "幸福家园", C.BUILDING: "1号楼", C.UNIT: "1单元", C.ROOM: "101",
                  C.RELATION: "本人", C.POLITICAL: "群众", C.NOTE: "示例行，导入前请删除"},
    "members": {C.ID_NUMBER: "11010519491231002X", C.NAME: "张三", C.ORGANIZATION: "幸福家园党支部", C.CATEGORY: "正式",
                C.JOINED_ON: "2010-07-01", C.FULL_ON: "2011-07-01", C.IS_AWAY: "否", C.AWAY_LOCATION: "", C.CHECKIN_EMPLOYER: ""},
}
NOTES = {
    C.NAME: "必填", C.ID_NUMBER: "必填；18位，末位X大小写均可；请设为文本格式", C.GENDER: "可空；填写时须与身份证号一致",
    C.ETHNICITY: "可空，默认汉族", C.PHONE: "可空；11位手机号码", C.COMMUNITY: "必填；须是您辖区内已有的社区",
    C.COMPOUND: "楼栋直属社区时留空", C.BUILDING: "必填；须已在系统中建好", C.UNIT: "可空", C.ROOM: "可空；同一楼栋同一房号为一户",
    C.RELATION: "可空；填“本人”或“户主”者为户主", C.POLITICAL: "可空；中共党员、中共预备党员、共青团员、群众等",
    C.NOTE: "可空", C.ORGANIZATION: "必填；须是您辖区内已有的党组织全称", C.CATEGORY: "必填；正式或预备",
    C.JOINED_ON: "必填；2020-07-01、2020/7/1、2020年7月1日等均可", C.FULL_ON: "正式党员必填，须晚于入党日期",
    C.IS_AWAY: "是或否，默认否", C.AWAY_LOCATION: "在外时必填", C.CHECKIN_EMPLOYER: "在职党员到社区报到的工作单位，可空",
    C.RECORD: "导出时生成；修改导出的表再导入时请保留，新增的行留空",
}
HEADER_FILL = PatternFill("solid", start_color="FFFDE2E1")
TEXT = "@"


def template_xlsx(kind: str) -> bytes:
    template = C.TEMPLATES[kind]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = template.title
    sheet.append(template.header_labels())
    sheet.append([EXAMPLES[kind].get(c, "") for c in template.columns])
    for i, column in enumerate(template.columns, start=1):
        letter = get_column_letter(i)
        head = sheet.cell(row=1, column=i)
        head.font = Font(bold=True, color="FFB42318" if column in template.required else None)
        head.fill = HEADER_FILL if column in template.required else PatternFill()
        sheet.column_dimensions[letter].width = 22 if column in TEXT_COLUMNS or column == C.ORGANIZATION else 12
        if column in TEXT_COLUMNS:
            for row in range(2, 2001):  # typed numbers stay text: no 4.10305E+17
                sheet.cell(row=row, column=i).number_format = TEXT
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("填写说明")
    notes.append(["列名", "说明"])
    for column in template.known:
        notes.append([column + ("（必填）" if column in template.required else ""), NOTES.get(column, "")])
    notes.append([])
    notes.append(["", "表头须在前10行内；列的顺序不限；不认识的列会被忽略并在预览中列出。"])
    notes.append(["", "有任何一行有问题时整份文件都不会写入；请按下载的问题清单改正后重新上传。"])
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["B"].width = 70
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for row in notes.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv(kind: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(C.TEMPLATES[kind].header_labels())
    return buffer.getvalue().encode("utf-8-sig")
