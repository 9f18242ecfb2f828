from gongzhi.core import pii


def test_encrypt_round_trip_and_random_nonce():
    a, b = pii.encrypt("11010519491231002X"), pii.encrypt("11010519491231002X")
    assert a != b
    assert "11010519491231002X" not in a
    assert pii.decrypt(a) == pii.decrypt(b) == "11010519491231002X"


def test_blind_index_is_stable_and_keyed(settings):
    h = pii.blind_index("13812345678")
    assert h == pii.blind_index("13812345678") and len(h) == 32
    settings.PII_KEY = "another-key"
    assert pii.blind_index("13812345678") != h


def test_masks():
    assert pii.mask_id_number("11010519491231002X") == "110105********002X"
    assert pii.mask_phone("13812345678") == "138****5678"
