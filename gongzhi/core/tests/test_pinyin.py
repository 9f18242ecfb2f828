from gongzhi.core.pinyin import name_initials


def test_initials():
    assert name_initials("张三") == "zs"
    assert name_initials("欧阳娜娜") == "oynn"
    assert name_initials("李A") == "la"
