"""Numbers spelled in words become the same evidence keys as digits, in any script the profiles cover."""

from __future__ import annotations

from storylens.clustering.keys import evidence_keys
from storylens.clustering.number_words import spelled_number_keys, spelled_numbers


def test_units_tens_hundreds_and_scales_add_up() -> None:
    assert spelled_numbers("thirteen were hurt, twenty-five missing and three hundred fifty homes lost") == [
        "13",
        "25",
        "350",
    ]


def test_a_conjunction_joins_a_unit_and_a_tens_word_only() -> None:
    # Arabic "five and twenty" is one number; "twenty and thirty" (a range) stays two.
    assert spelled_numbers("خمسة وعشرون") == ["25"]
    assert spelled_numbers("عشرين وثلاثين") == ["20", "30"]
    assert spelled_numbers("שלושה עשר") == ["13"]


def test_spelled_and_written_numbers_give_one_key() -> None:
    spelled = spelled_number_keys("Thirteen people were rescued.")
    arabic_indic = evidence_keys("١٣ people were rescued.", "en")
    persian = evidence_keys("۱۳ people were rescued.", "en")
    assert "n:13" in spelled and "n:13" in arabic_indic and "n:13" in persian
    assert "n:13" not in evidence_keys("Thirteen people were rescued.", "en")  # not part of the keys (measured)
