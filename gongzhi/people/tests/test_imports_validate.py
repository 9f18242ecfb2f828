"""Import: validating residents and members against the file, the scope and the database."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from gongzhi.core.validators import id_check_char
from gongzhi.people.imports.columns import MEMBERS, RESIDENTS
from gongzhi.people.imports.report import PROBLEM_COLUMN, write_error_report
from gongzhi.people.imports.validate import validate_members, validate_residents

from .imports_helpers import id_number, member, plain_id, resident, write_csv, write_xlsx, zhangsan_row


@pytest.fixture
def scope1(world, scope_of):
    return scope_of(world.shequ1)


def residents(tmp_path, scope, rows, *, header=RESIDENTS.columns, name="r.xlsx"):
    path = write_xlsx(tmp_path / name, header, rows)
    return validate_residents(path, scope=scope)


def test_clean_sheet_new_updated_unchanged(tmp_path, world, scope1):
    rows = [
        zhangsan_row(world),  # unchanged
        resident(姓名="李四", 公民身份号码=plain_id(world.lisi), 性别="女", 联系电话="", 房号="1-101", 与户主关系="妻子"),  # 配偶 → 妻子
        resident(姓名="新人"),  # new
        resident(姓名="王五", 公民身份号码=plain_id(world.wangwu), 小区="老厂宿舍", 楼栋="老厂1栋", 房号="", 与户主关系="", 联系电话=""),  # phone removed
    ]
    result = residents(tmp_path, scope1, rows)
    assert result.problems == {}
    assert result.summary() == {"rows": 4, "errors": 0, "new": 1, "updated": 2, "unchanged": 1}
    assert result.ok and result.ignored_columns == ()


def test_reimporting_the_database_as_it_is_changes_nothing(tmp_path, world, scope1):
    rows = [zhangsan_row(world), zhangsan_row(world, 联系电话="138****5678")]
    result = residents(tmp_path, scope1, rows[:1])
    assert (result.unchanged, result.new, result.updated) == (1, 0, 0)
    masked = residents(tmp_path, scope1, rows[1:], name="m.xlsx")  # a masked export keeps the stored phone
    assert (masked.unchanged, masked.errors) == (1, 0)


def test_queries_do_not_grow_with_rows(tmp_path, world, scope1, django_assert_max_num_queries):
    rows = [resident(姓名=f"居民{i}", 公民身份号码=id_number()) for i in range(300)] + [zhangsan_row(world)]
    path = write_xlsx(tmp_path / "r.xlsx", RESIDENTS.columns, rows)
    with django_assert_max_num_queries(6):  # scope grants, places, existing by hash, scoped by hash
        result = validate_residents(path, scope=scope1)
    assert (result.new, result.unchanged) == (300, 1)


def test_every_problem_of_a_row_is_collected_naming_its_column(tmp_path, world, scope1):
    first17 = id_number()[:17]
    wrong = "1" if id_check_char(first17) != "1" else "2"  # never the right check character
    row = resident(姓名="", 公民身份号码=first17 + wrong, 联系电话="1381234", 政治面貌="党外", 楼栋="")
    result = residents(tmp_path, scope1, [row])
    problems = result.problems[2]
    assert any(p.startswith("姓名：不能为空") for p in problems)
    assert any(p.startswith("公民身份号码校验位错误：按前17位计算应为") for p in problems)
    assert any(p.startswith("联系电话：手机号码“1381234”格式不正确") for p in problems)
    assert any(p.startswith("政治面貌“党外”无法识别") for p in problems)
    assert any(p.startswith("楼栋：不能为空") for p in problems)
    assert result.summary() == {"rows": 1, "errors": 1, "new": 0, "updated": 0, "unchanged": 0}
    assert not result.ok


@pytest.mark.parametrize("value, fragment", [
    ("41030519800517001", "公民身份号码应为18位：前17位是数字，最后一位是数字或X（当前为17位）"),
    ("410305198002300011", "公民身份号码中的出生日期 19800230 不存在"),
    ("", "公民身份号码不能为空"),
    (4.10305198005170e17, "公民身份号码以数值格式保存"),
])
def test_id_number_errors(tmp_path, world, scope1, value, fragment):
    result = residents(tmp_path, scope1, [resident(公民身份号码=value)])
    assert fragment in result.problems[2][0]


def test_gender_mismatch_with_the_id_number(tmp_path, world, scope1):
    result = residents(tmp_path, scope1, [resident(公民身份号码=id_number(male=True), 性别="女")])
    assert result.problems[2] == ["性别：表中为女，与公民身份号码不符：号码第17位表示男。"]


def test_lower_case_x_and_full_width_digits_are_the_same_person(tmp_path, world, scope1):
    number = plain_id(world.zhangsan)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number.lower())
    result = residents(tmp_path, scope1, [zhangsan_row(world, 公民身份号码=f" {full_width} ", 姓名=" 张 三")])
    assert (result.unchanged, result.errors) == (1, 0)


def test_duplicates_inside_the_file_name_both_rows(tmp_path, world, scope1):
    twin = id_number()
    rows = [resident(公民身份号码=twin), resident(), resident(公民身份号码=twin.lower())]
    result = residents(tmp_path, scope1, rows)
    assert result.problems == {
        2: ["公民身份号码：与第4行重复：同一公民身份号码出现了不止一次。"],
        4: ["公民身份号码：与第2行重复：同一公民身份号码出现了不止一次。"],
    }
    assert (result.new, result.errors) == (1, 2)


def test_a_duplicate_found_in_a_later_batch_uncounts_the_first(tmp_path, world, scope1, monkeypatch):
    monkeypatch.setattr("gongzhi.people.imports.validate.BATCH_SIZE", 2)
    twin = id_number()
    rows = [resident(公民身份号码=twin), resident(), resident(), resident(公民身份号码=twin)]
    result = residents(tmp_path, scope1, rows)
    assert sorted(result.problems) == [2, 5]
    assert result.summary() == {"rows": 4, "errors": 2, "new": 2, "updated": 0, "unchanged": 0}


@pytest.mark.parametrize("place, fragment", [
    ({"社区": "和平社区", "小区": "和平里", "楼栋": "3号楼"}, "社区：“和平社区”不存在或不在您的管辖范围内（导入不会新建社区）。"),
    ({"社区": "快乐社区"}, "社区：“快乐社区”不存在或不在您的管辖范围内"),
    ({"小区": "和平里"}, "小区：“幸福社区”下没有“和平里”，或不在您的管辖范围内（导入不会新建小区）。"),
    ({"楼栋": "9号楼"}, "楼栋：“幸福社区 幸福家园”下没有“9号楼”"),
    ({"小区": "老厂宿舍"}, "楼栋：“幸福社区 老厂宿舍”下没有“1号楼”"),
    ({"单元": "3单元"}, "单元：“幸福社区 幸福家园 1号楼”下没有“3单元”"),
])
def test_places_that_do_not_exist_or_lie_outside_the_scope(tmp_path, world, scope1, place, fragment):
    result = residents(tmp_path, scope1, [resident(**place)])
    assert result.problems[2] == [fragment] if fragment.endswith("。") else fragment in result.problems[2][0]


def test_the_parent_scope_sees_both_communities(tmp_path, world, scope_of):
    rows = [resident(社区="和平社区", 小区="和平里", 楼栋="3号楼"), resident()]
    result = residents(tmp_path, scope_of(world.jiedao1), rows)
    assert (result.new, result.errors) == (2, 0)


def test_units_and_buildings_standing_in_a_community(tmp_path, world, scope1):
    from gongzhi.org.models import PlaceLevel as L
    from gongzhi.org.tests import factories as of

    of.place(world.B1, L.UNIT, "1单元")
    of.place(world.C1, L.BUILDING, "散居5栋")
    rows = [resident(单元=" １单元"), resident(小区="", 楼栋="散居5栋")]
    assert residents(tmp_path, scope1, rows).problems == {}


def test_a_grid_or_branch_scope_resolves_names_above_it(tmp_path, world, scope_of):
    result = residents(tmp_path, scope_of(world.zhibu1), [resident()])
    assert result.problems == {} and result.new == 1


def test_a_person_registered_in_another_community(tmp_path, world, scope1):
    result = residents(tmp_path, scope1, [resident(公民身份号码=plain_id(world.zhaoliu), 姓名="赵六")])
    assert result.problems[2] == ["公民身份号码：该公民身份号码已在其他辖区登记，不能在此导入；如已迁入本辖区，请先由原辖区办理迁出。"]


def test_a_masked_phone_that_is_not_the_stored_one(tmp_path, world, scope1):
    result = residents(tmp_path, scope1, [resident(联系电话="139****0000")])
    assert result.problems[2] == ["联系电话：“139****0000”是打码后的号码，无法导入：请填写完整的手机号码。"]


def test_too_long_values(tmp_path, world, scope1):
    result = residents(tmp_path, scope1, [resident(备注="长" * 201)])
    assert result.problems[2] == ["备注：不能超过200个字（当前201个）。"]


def test_unknown_columns_are_ignored_and_listed(tmp_path, world, scope1):
    header = [*RESIDENTS.columns, "籍贯", "微信号"]
    result = residents(tmp_path, scope1, [resident() + ["河南", "wx1"]], header=header)
    assert result.ignored_columns == ("籍贯", "微信号") and result.ok


def test_optional_columns_may_be_left_out(tmp_path, world, scope1):
    header = ["姓名", "公民身份号码", "社区", "小区", "楼栋"]
    result = residents(tmp_path, scope1, [["新人", id_number(), "幸福社区", "幸福家园", "1号楼"]], header=header)
    assert result.ok and result.new == 1


def test_csv_in_gbk_is_validated_like_xlsx(tmp_path, world, scope1):
    path = write_csv(tmp_path / "r.csv", RESIDENTS.columns, [zhangsan_row(world), resident()], encoding="gbk")
    result = validate_residents(path, scope=scope1)
    assert (result.unchanged, result.new, result.errors) == (1, 1, 0)


# ---- members -----------------------------------------------------------------------------


def members(tmp_path, scope, rows, **kwargs):
    path = write_xlsx(tmp_path / "m.xlsx", MEMBERS.columns, rows)
    return validate_members(path, scope=scope, **kwargs)


def lisi(world, **values):
    return member(**{"公民身份号码": plain_id(world.lisi), "姓名": "李四"} | values)


def test_members_new_updated_unchanged(tmp_path, world, scope1):
    rows = [
        member(公民身份号码=plain_id(world.zhangsan), 姓名="张三"),  # unchanged (the factory's dates)
        lisi(world, 党员类型="预备", 入党日期="2024年5月1日", 转正日期=""),  # new
        member(公民身份号码=plain_id(world.wangwu), 姓名="王五", 党员类型="预备", 入党日期=dt.date(2025, 1, 1), 转正日期=""),
    ]
    result = members(tmp_path, scope1, rows)
    assert result.problems == {}
    assert result.summary() == {"rows": 3, "errors": 0, "new": 2, "updated": 0, "unchanged": 1}
    moved = members(tmp_path, scope1, [member(公民身份号码=plain_id(world.zhangsan), 姓名="张三", 是否在外="Y", 在外地点="深圳")])
    assert moved.updated == 1


@pytest.mark.parametrize("values, problem", [
    ({"党员类型": "预备", "转正日期": "2011-07-01"}, "转正日期：党员类型为预备，不应填写转正日期。"),
    ({"转正日期": ""}, "转正日期：正式党员须填写转正日期。"),
    ({"转正日期": "2009-07-01"}, "转正日期（2009-07-01）应晚于入党日期（2010-07-01）。"),
    ({"入党日期": "2010-13-01"}, "入党日期“2010-13-01”不是有效日期：请写成2020-07-01、2020/7/1、2020.7.1、2020年7月1日或20200701。"),
    ({"入党日期": ""}, "入党日期：不能为空。"),
    ({"入党日期": "2090-01-01", "转正日期": "2091-01-01"}, "入党日期：不能晚于今天。"),
    ({"是否在外": "是"}, "在外地点：是否在外为“是”时须填写在外地点。"),
    ({"在外地点": "深圳"}, "是否在外：填写了在外地点，但是否在外不是“是”。"),
    ({"是否在外": "也许"}, "是否在外“也许”无法识别：应为是或否（也可写Y/N、1/0）。"),
    ({"党员类型": "候补"}, "党员类型“候补”无法识别：应为正式或预备。"),
    ({"所在党组织": "和平里党支部"}, "所在党组织：“和平里党支部”不存在或不在您的管辖范围内（导入不会新建党组织）。"),
    ({"所在党组织": "不存在党支部"}, "所在党组织：“不存在党支部”不存在或不在您的管辖范围内（导入不会新建党组织）。"),
    ({"姓名": "李斯"}, "姓名：表中为“李斯”，与该公民身份号码登记的姓名“李四”不一致。"),
])
def test_member_errors(tmp_path, world, scope1, values, problem):
    result = members(tmp_path, scope1, [lisi(world, **values)])
    assert problem in result.problems[2], result.problems


def test_member_under_18_at_joining(tmp_path, world, scope1):
    from gongzhi.people.tests.factories import PersonFactory

    young = PersonFactory(name="小明", place=world.B1, birth=dt.date(2000, 3, 8))
    result = members(tmp_path, scope1, [member(公民身份号码=plain_id(young), 姓名="小明", 入党日期="2018-03-07", 转正日期="2019-03-07")])
    assert result.problems[2] == ["入党日期：入党时须年满18岁：按公民身份号码，2018-03-07时17岁。"]
    ok = members(tmp_path, scope1, [member(公民身份号码=plain_id(young), 姓名="小明", 入党日期="2018-03-08", 转正日期="2019-03-08")])
    assert ok.problems == {}


def test_member_not_registered_or_registered_elsewhere(tmp_path, world, scope1):
    rows = [member(公民身份号码=id_number(), 姓名="无名"), member(公民身份号码=plain_id(world.zhaoliu), 姓名="赵六")]
    result = members(tmp_path, scope1, rows)
    message = "公民身份号码：该号码的居民尚未在您的辖区登记：请先导入居民表，再导入党员表。"
    assert result.problems == {2: [message], 3: [message]}  # elsewhere and missing: the same answer


def test_members_duplicates_and_checkin_employer(tmp_path, world, scope1):
    rows = [lisi(world), lisi(world, 报到单位="区财政局")]
    result = members(tmp_path, scope1, rows)
    assert sorted(result.problems) == [2, 3] and result.new == 0
    from gongzhi.people.models import CommunityCheckin

    CommunityCheckin.objects.create(member=world.m_zhangsan, employer="区财政局", employer_level="district", community=world.C1, registered_on=dt.date(2024, 1, 1))
    same = members(tmp_path, scope1, [member(公民身份号码=plain_id(world.zhangsan), 姓名="张三", 报到单位="区财政局")])
    other = members(tmp_path, scope1, [member(公民身份号码=plain_id(world.zhangsan), 姓名="张三", 报到单位="市教育局")])
    assert (same.unchanged, other.updated) == (1, 1)


# ---- the error report --------------------------------------------------------------------


def test_error_report_keeps_the_rows_as_read_and_names_the_problems(tmp_path, world, scope1):
    header = [*RESIDENTS.columns, "籍贯"]
    rows = [zhangsan_row(world) + ["河南"], resident(联系电话="12345") + ["河北"], resident(社区="和平社区") + [""]]
    path = write_xlsx(tmp_path / "r.xlsx", header, rows, title_rows=[["幸福社区居民表"]])
    result = validate_residents(path, scope=scope1)
    write_error_report(path, result, tmp_path / "report.xlsx")
    sheet = load_workbook(tmp_path / "report.xlsx").active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == header + [PROBLEM_COLUMN]
    assert values[1][:14] == [v if v != "" else None for v in rows[0]] and values[1][14] is None
    assert values[1][1] == plain_id(world.zhangsan)  # text, not a number
    assert values[2][14].startswith("联系电话：手机号码“12345”格式不正确")
    assert values[3][14].startswith("社区：“和平社区”不存在")
    fills = [sheet.cell(row=r, column=1).fill.start_color.rgb for r in (2, 3, 4)]
    assert fills[0] != "FFFDE2E1" and fills[1] == fills[2] == "FFFDE2E1"


def test_error_report_of_problem_rows_only_from_csv(tmp_path, world, scope1):
    path = write_csv(tmp_path / "r.csv", RESIDENTS.columns, [resident(), resident(联系电话="1")], encoding="gbk")
    result = validate_residents(path, scope=scope1)
    write_error_report(path, result, tmp_path / "report.xlsx", only_problems=True)
    values = list(load_workbook(tmp_path / "report.xlsx").active.iter_rows(values_only=True))
    assert len(values) == 2 and values[1][4] == "1"


def test_member_queries_do_not_grow_with_rows(tmp_path, world, scope1, django_assert_max_num_queries):
    from gongzhi.people.tests.factories import PersonFactory

    people = [PersonFactory(name=f"党员{i}", place=world.B1, id_plain=id_number()) for i in range(60)]
    rows = [member(公民身份号码=plain_id(p), 姓名=p.name) for p in people]
    path = write_xlsx(tmp_path / "m.xlsx", MEMBERS.columns, rows)
    with django_assert_max_num_queries(6):  # scope grants, organisations, persons, members, 报到
        result = validate_members(path, scope=scope1)
    assert (result.new, result.errors) == (60, 0)


# ---- 系统编号: a sheet exported with masked numbers, edited and imported again ----------------

RECORD_HEADER = RESIDENTS.columns + ("系统编号",)


def masked_row(person, **values):
    return resident(**{"公民身份号码": person.id_number_mask} | values) + [values.get("系统编号", person.pk)]


def test_masked_number_is_matched_on_its_record(tmp_path, world, scope1):
    row = zhangsan_row(world, 公民身份号码=world.zhangsan.id_number_mask, 联系电话="138****5678") + [world.zhangsan.pk]
    changed = zhangsan_row(world, 公民身份号码=world.zhangsan.id_number_mask, 联系电话="13900002222") + [world.zhangsan.pk]
    result = residents(tmp_path, scope1, [row], header=RECORD_HEADER)
    assert result.summary() == {"rows": 1, "errors": 0, "new": 0, "updated": 0, "unchanged": 1}
    assert result.ignored_columns == ()  # 系统编号 is a known column
    edited = residents(tmp_path, scope1, [changed], header=RECORD_HEADER, name="e.xlsx")
    assert (edited.updated, edited.errors) == (1, 0)


def test_masked_number_problems(tmp_path, world, scope1):
    other = world.lisi
    rows = [
        resident(公民身份号码=world.zhangsan.id_number_mask) + [""],  # no record: cannot be matched
        resident(公民身份号码=world.zhangsan.id_number_mask) + [other.pk],  # the mask is not 李四's
        resident(公民身份号码=world.zhaoliu.id_number_mask) + [world.zhaoliu.pk],  # 赵六 lives in C2: out of scope
        resident(公民身份号码=plain_id(world.zhangsan)) + [other.pk],  # a full number and someone else's record
        resident(公民身份号码=id_number()) + ["12a"],
    ]
    result = residents(tmp_path, scope1, rows, header=RECORD_HEADER)
    p = result.problems
    assert "打码后的号码" in p[2][0] and "系统编号" in p[2][0]
    assert any("与系统编号%s登记的号码不符" % other.pk in m for m in p[3])
    assert any(m == "系统编号：编号%s的居民不存在或不在您的管辖范围内。" % world.zhaoliu.pk for m in p[4])
    assert any(m.startswith("系统编号%s登记的是另一位居民" % other.pk) for m in p[5])
    assert any(m.startswith("系统编号：应为导出时生成的数字编号") for m in p[6])
    assert result.errors == 5 and not result.ok


def test_a_person_twice_once_masked_is_a_duplicate(tmp_path, world, scope1):
    rows = [zhangsan_row(world) + [""], zhangsan_row(world, 公民身份号码=world.zhangsan.id_number_mask) + [world.zhangsan.pk]]
    result = residents(tmp_path, scope1, rows, header=RECORD_HEADER)
    assert sorted(result.problems) == [2, 3]
    assert (result.unchanged, result.errors) == (0, 2)


def test_masked_member_rows_check_age_after_matching(tmp_path, world, scope1):
    zs = world.zhangsan  # born 1975-03-08
    header = MEMBERS.columns + ("系统编号",)
    rows = [member(公民身份号码=zs.id_number_mask, 姓名="张三", 所在党组织=world.O_K1.name, 入党日期="1990-07-01", 转正日期="1991-07-01") + [zs.pk]]
    path = write_xlsx(tmp_path / "m.xlsx", header, rows)
    result = validate_members(path, scope=scope1)
    assert result.problems[2] == ["入党日期：入党时须年满18岁：按公民身份号码，1990-07-01时15岁。"]
