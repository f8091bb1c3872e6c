"""The rule by which nbval compares glued numbers (tests/glue_records.py)."""
import glue_records as gr

GLUE = gr.GLUE_MIME


def _out(name, value):
    return {"output_type": "display_data", "data": {GLUE: value},
            "metadata": {"scrapbook": {"name": name, "mime_prefix": "application/papermill.record/"}}}


def test_last_digits_of_a_number_do_not_matter():
    # pairs seen between two CPUs of the CI pool
    assert gr.same_number("0.14185107209348818", "0.14185107209348843")
    assert gr.same_number("0.5614916488711134", "0.561496009103004")      # 7.8e-6 relative
    assert gr.same_number("1.293205263422012e-07", "1.1034298939361156e-07")  # a residual


def test_a_changed_number_is_a_difference():
    assert not gr.same_number("0.5614916488711134", "0.5620")       # 1e-3 relative: shows in the prose
    assert not gr.same_number("18.90107310645992", "18.93")
    assert not gr.same_number("1.3e-07", "5e-07")                     # a residual off by a factor > 3
    assert not gr.same_number("1.3e-07", "-1.3e-07")
    assert not gr.same_number("2e-07", "2e-05")                       # not a residual any more
    assert not gr.same_number("0.0", "1e-3")


def test_what_is_not_a_number_is_compared_exactly():
    assert not gr.same_number("'0.33-0.41'", "'0.33-0.42'")
    assert not gr.same_number("[1.0, 2.0]", "[1.0, 2.00001]")
    assert not gr.same_number("nan", "nan ")
    assert gr.same_number("'paper'", "'paper'")


def test_alignment_touches_only_equal_glued_numbers():
    ref = [_out("a", "0.14185107209348818"), _out("b", "0.5"), {"output_type": "stream", "text": "x = 0.1\n"}]
    test = [_out("a", "0.14185107209348843"), _out("b", "0.6"), {"output_type": "stream", "text": "x = 0.1000001\n"}]
    aligned = gr.align_glued_numbers(test, ref)
    assert aligned[0]["data"][GLUE] == "0.14185107209348818"   # same number: the reference's string
    assert aligned[1]["data"][GLUE] == "0.6"                   # a different number stays different
    assert aligned[2] == test[2]                               # printed output untouched
    assert test[0]["data"][GLUE] == "0.14185107209348843"      # the input is not modified
