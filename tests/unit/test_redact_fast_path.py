"""The redaction's quick look (jobnet.logs._MAYBE) never lets a CPR-shaped value through: whatever
the text, ``redact`` gives what the full search and replace gives."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jobnet.logs import CPR_SHAPED, MASK, redact

cpr = st.from_regex(r"(0[1-9]|[12][0-9]|3[01])(0[1-9]|1[0-2])[0-9]{2}-?[0-9]{4}", fullmatch=True)
noise = st.text(alphabet="0123456789-abcdef /:", max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(cpr, noise), max_size=6))
def test_redact_is_the_full_search_and_replace(parts: list[str]) -> None:
    text = "".join(parts)
    assert redact(text) == CPR_SHAPED.sub(MASK, text)


def test_a_uuid_in_a_path_is_left_alone_and_a_cpr_beside_it_is_not() -> None:
    path = "/v1/selvbooking/moedetilbud/9d834947-7950-5aa8-baac-3c572222feda/moedetider"
    assert redact(path) == path
    assert redact(path + "?x=010190-1234") == path + "?x=" + MASK
