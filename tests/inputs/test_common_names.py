"""Names of printable ASCII and common CJK ideographs skip the per-character look-ups of
`inputs.names`: the warnings they get must be the same as by character."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from govrules.inputs import names

# The fast path's alphabet, and its neighbours on either side of each range.
_EDGES = "\x1f\x20\x7e\x7f\u4dff\u4e00\u9fa5\u9fa6\u9fff\ua000"
_ALPHABET = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
    st.sampled_from([*_EDGES, "Ａ", "а", "\u200b", "ｶ", "\uf900", "é"]),
)


@settings(max_examples=500, deadline=None)
@given(st.text(_ALPHABET, max_size=12))
def test_common_names_read_as_by_character(name: str) -> None:
    assert names._invisible(name) == names._invisible_by_character(name)
    assert names._scripts(name) == names._scripts_by_character(name)
    assert names.skeleton(name) == names._skeleton_by_character(name)


def test_the_fast_path_is_taken_for_common_names_only() -> None:
    assert names._COMMON("张三 Zhang-3")
    assert not names._COMMON("Ｚhang") and not names._COMMON("张\u200b三")
